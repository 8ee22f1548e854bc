import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzerJarDirectory, findJava } from './java';

describe('findJava', () => {
  it('finds a Java 17+ on this machine', () => {
    expect(findJava()).toMatch(/java$/);
  });

  it('explains how to install Java when JAVA_HOME points nowhere', () => {
    expect(() => findJava({ JAVA_HOME: '/no/such/jdk' })).toThrow(/Java was not found.*JAVA_HOME/s);
  });

  it('refuses a Java older than 17', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sdg-jdk-'));
    fs.mkdirSync(path.join(home, 'bin'));
    const fake = path.join(home, 'bin', 'java');
    fs.writeFileSync(fake, '#!/bin/sh\necho \'openjdk version "11.0.2"\' >&2\n');
    fs.chmodSync(fake, 0o755);
    expect(() => findJava({ JAVA_HOME: home })).toThrow(/Java 11 found .* need Java 17/);
  });
});

describe('analyzerJarDirectory', () => {
  it('locates the apex-ls and PMD jars shipped with the PMD engine', () => {
    const jars = fs.readdirSync(analyzerJarDirectory());
    expect(jars.some((jar) => jar.startsWith('apex-ls'))).toBe(true);
    expect(jars.some((jar) => jar.startsWith('pmd-apex'))).toBe(true);
  });
});

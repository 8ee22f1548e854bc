import { createElement } from 'lwc';
import SyntheticReasonList from 'c/syntheticReasonList';

function mount(props) {
  const element = createElement('c-synthetic-reason-list', { is: SyntheticReasonList });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-synthetic-reason-list', () => {
  const helpCodes = (element) =>
    [...element.shadowRoot.querySelectorAll('lightning-helptext')].map((help) => help.content);

  it('shows each reason by its label with the code behind a help icon, never a title', async () => {
    const element = mount({ reasons: 'UNDISCLOSED_AI_SIGNAL;MISSING_SOURCE' });
    const items = [...element.shadowRoot.querySelectorAll('li')];
    expect(items.map((li) => li.textContent.trim())).toEqual([
      'c.SDG_Reason_Undisclosed_Ai_Signal,',
      'c.SDG_Reason_Missing_Source'
    ]);
    expect(helpCodes(element)).toEqual(['UNDISCLOSED_AI_SIGNAL', 'MISSING_SOURCE']);
    expect(items.map((li) => li.title)).toEqual(['', '']);
    expect(element.shadowRoot.querySelector('ul').textContent).not.toContain(
      'UNDISCLOSED_AI_SIGNAL'
    );
    await expect(element).toBeAccessible();
  });

  it('shows an unknown code as "Other reason", the code still behind the help icon, never a blank', () => {
    const element = mount({ reasons: ['MEDIA_UNREADABLE'] });
    const item = element.shadowRoot.querySelector('li');
    expect(item.textContent.trim()).toBe('c.SDG_Reason_Other');
    expect(helpCodes(element)).toEqual(['MEDIA_UNREADABLE']);
    expect(item.dataset.code).toBe('MEDIA_UNREADABLE');
  });

  it('leaves the codes out for site users: labels only, no help icon, no tooltip', async () => {
    const element = mount({ reasons: 'UNTRUSTED_MODEL;MISSING_SOURCE', hideCodes: true });
    const items = [...element.shadowRoot.querySelectorAll('li')];
    expect(items).toHaveLength(2);
    expect(helpCodes(element)).toEqual([]);
    expect(items.map((li) => li.title)).toEqual(['', '']);
    expect(element.shadowRoot.textContent).not.toMatch(/UNTRUSTED_MODEL|MISSING_SOURCE/);
    await expect(element).toBeAccessible();
  });

  it('shows the empty text when there are no reasons', () => {
    const element = mount({ reasons: '', emptyText: 'None' });
    expect(element.shadowRoot.querySelector('ul')).toBeNull();
    expect(element.shadowRoot.textContent).toMatch(/None$/);
  });
});

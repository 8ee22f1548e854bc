import { createElement } from 'lwc';
import SyntheticStatusPill from 'c/syntheticStatusPill';

function mount(status) {
  const element = createElement('c-synthetic-status-pill', { is: SyntheticStatusPill });
  element.status = status;
  document.body.appendChild(element);
  return element;
}

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-synthetic-status-pill', () => {
  it.each([
    ['Quarantined', 'c.SDG_Badge_Quarantined', 'slds-theme_error', 'utility:lock', 'inverse'],
    ['Flagged', 'c.SDG_Badge_Flagged', 'slds-theme_warning', 'utility:priority', undefined],
    ['Escalated', 'c.SDG_Status_Other', 'slds-theme_shade', 'utility:help', undefined]
  ])(
    '%s: the badge colour, icon and label, the value in the tooltip',
    async (status, label, theme, icon, variant) => {
      const element = mount(status);
      const pill = element.shadowRoot.querySelector('span.slds-badge');
      expect(pill.textContent.trim()).toBe(label);
      expect(pill.classList).toContain(theme);
      expect(pill.title).toBe(status);
      expect(pill.querySelector('lightning-icon').iconName).toBe(icon);
      expect(pill.querySelector('lightning-icon').variant).toBe(variant);
      await expect(element).toBeAccessible();
    }
  );
});

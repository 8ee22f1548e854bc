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
  it('shows each reason by its label with the code in the tooltip', async () => {
    const element = mount({ reasons: 'UNDISCLOSED_AI_SIGNAL;MISSING_SOURCE' });
    const items = [...element.shadowRoot.querySelectorAll('li')];
    expect(items.map((li) => li.textContent.trim())).toEqual([
      'c.SDG_Reason_Undisclosed_Ai_Signal,',
      'c.SDG_Reason_Missing_Source'
    ]);
    expect(items.map((li) => li.title)).toEqual(['UNDISCLOSED_AI_SIGNAL', 'MISSING_SOURCE']);
    expect(element.shadowRoot.querySelector('ul').textContent).not.toContain(
      'UNDISCLOSED_AI_SIGNAL'
    );
    await expect(element).toBeAccessible();
  });

  it('shows an unknown code as "Other reason", the code still in the tooltip, never a blank', () => {
    const element = mount({ reasons: ['MEDIA_UNREADABLE'] });
    const item = element.shadowRoot.querySelector('li');
    expect(item.textContent.trim()).toBe('c.SDG_Reason_Other');
    expect(item.title).toBe('MEDIA_UNREADABLE');
    expect(item.dataset.code).toBe('MEDIA_UNREADABLE');
  });

  it('shows the empty text when there are no reasons', () => {
    const element = mount({ reasons: '', emptyText: 'None' });
    expect(element.shadowRoot.querySelector('ul')).toBeNull();
    expect(element.shadowRoot.textContent).toMatch(/None$/);
  });
});

import { createElement } from 'lwc';
import SyntheticReasonModal from 'c/syntheticReasonModal';

const flush = () => Promise.resolve().then(() => Promise.resolve());

function mount() {
  const element = createElement('c-synthetic-reason-modal', { is: SyntheticReasonModal });
  Object.assign(element, { heading: 'c.SDG_Review_Reject', summary: '2 selected' });
  document.body.appendChild(element);
  return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

afterEach(() => {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
});

describe('c-synthetic-reason-modal', () => {
  it('is a LightningModal with a header, the reason and the two buttons', async () => {
    const element = mount();
    await flush();
    expect($(element, 'lightning-modal-header').label).toBe('c.SDG_Review_Reject');
    expect($(element, '[data-id="summary"]').textContent).toBe('2 selected');
    const textarea = $(element, 'lightning-modal-body lightning-textarea');
    expect(textarea.label).toBe('c.SDG_Queue_Reason');
    expect(textarea.required).toBe(true);
    expect($(element, 'lightning-modal-footer [data-id="submit"]').label).toBe(
      'c.SDG_Queue_Submit'
    );
    await expect(element).toBeAccessible();
  });

  it('refuses a blank reason and says why, without closing', async () => {
    const element = mount();
    const closed = jest.fn();
    element.addEventListener('close', closed);
    await flush();
    const textarea = $(element, 'lightning-textarea');
    textarea.setCustomValidity = jest.fn();
    textarea.reportValidity = jest.fn();
    textarea.dispatchEvent(new CustomEvent('change', { detail: { value: '   ' } }));
    $(element, '[data-id="submit"]').click();
    await flush();
    expect(textarea.setCustomValidity).toHaveBeenLastCalledWith('c.SDG_Review_Reason_Required');
    expect(textarea.reportValidity).toHaveBeenCalled();
    expect(closed).not.toHaveBeenCalled();
  });

  it('closes with the trimmed reason, or with nothing on Cancel', async () => {
    const element = mount();
    const closed = jest.fn();
    element.addEventListener('close', closed);
    await flush();
    $(element, 'lightning-textarea').dispatchEvent(
      new CustomEvent('change', { detail: { value: '  Vendor confirmed  ' } })
    );
    $(element, '[data-id="submit"]').click();
    $(element, '[data-id="cancel"]').click();
    // close(undefined) reaches the mock's event as a null detail (CustomEvent's default).
    expect(closed.mock.calls.map(([event]) => event.detail ?? undefined)).toEqual([
      'Vendor confirmed',
      undefined
    ]);
  });
});

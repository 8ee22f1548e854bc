// The preview page: each scene (chosen by the URL hash) mounts the package's real components
// with fixture data, inside the SLDS page furniture a Lightning console puts around them, and
// performs the clicks a user would (open the details, select rows, start a review). The page
// sets body[data-ready] when the scene has settled, which is when screenshots are taken.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import SyntheticBadge from 'c/syntheticBadge';
import SyntheticReviewQueue from 'c/syntheticReviewQueue';
import SyntheticAuditTimeline from 'c/syntheticAuditTimeline';
import SyntheticRecallPanel from 'c/syntheticRecallPanel';
import SyntheticAlertAdmin from 'c/syntheticAlertAdmin';
import { BADGE_STATES } from './fixtures';

const settle = async (rounds = 6) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
};

const html = (tag, className, text) => {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text) element.textContent = text;
  return element;
};

const mount = (tag, Ctor, props) => Object.assign(createElement(tag, { is: Ctor }), props);

const shadow = (host, selector) => host.shadowRoot.querySelector(selector);
// The first match anywhere on the page, through every shadow root (a LightningModal is rendered
// outside the component that opened it).
const deep = (root, selector) => {
  const found = root.querySelector(selector);
  if (found) return found;
  for (const element of root.querySelectorAll('*')) {
    const inner = element.shadowRoot && deep(element.shadowRoot, selector);
    if (inner) return inner;
  }
  return null;
};

// A record page's highlights panel: object icon, record name and the badge beside it.
function highlights(title, badge) {
  const header = html('div', 'slds-page-header slds-page-header_record-home');
  const row = header.appendChild(html('div', 'slds-page-header__row'));
  const col = row.appendChild(html('div', 'slds-page-header__col-title'));
  const media = col.appendChild(html('div', 'slds-media slds-media_center'));
  const figure = media.appendChild(html('div', 'slds-media__figure'));
  const icon = figure.appendChild(html('span', 'slds-icon_container slds-icon-standard-lead'));
  icon.innerHTML =
    '<svg class="slds-icon slds-page-header__icon" aria-hidden="true">' +
    '<use href="/assets/icons/standard-sprite/svg/symbols.svg#lead"></use></svg>';
  const body = media.appendChild(html('div', 'slds-media__body'));
  body.appendChild(html('span', 'slds-text-body_small', 'Lead'));
  const name = body.appendChild(html('div', 'slds-grid slds-grid_vertical-align-center'));
  name.appendChild(html('h1', 'slds-page-header__title slds-m-right_small', title));
  name.appendChild(badge);
  return header;
}

const recordIdOf = (status) => `00Q5g00000Preview${BADGE_STATES.indexOf(status)}`;

const scenes = {
  async badge(stage) {
    const grid = stage.appendChild(html('div', 'slds-grid slds-wrap slds-gutters_small'));
    for (const status of BADGE_STATES) {
      const cell = grid.appendChild(html('div', 'slds-col slds-size_1-of-2 slds-p-bottom_small'));
      cell.appendChild(html('p', 'slds-text-title_caps slds-p-bottom_xx-small', status));
      const badge = mount('c-synthetic-badge', SyntheticBadge, {
        recordId: recordIdOf(status),
        objectApiName: 'Lead',
        showDetails: true
      });
      cell.appendChild(
        highlights(status === 'Authentic' ? 'Authentic lead (no badge)' : 'Maya Lindqvist', badge)
      );
    }
  },

  async 'badge-details'(stage) {
    const badge = mount('c-synthetic-badge', SyntheticBadge, {
      recordId: recordIdOf('Quarantined'),
      objectApiName: 'Lead',
      showDetails: true,
      showSignals: true
    });
    stage.appendChild(highlights('Maya Lindqvist', badge));
    // Room below the header for the popover, which floats over the page as it does on a record page.
    stage.appendChild(html('div')).style.height = '16rem';
    await settle();
    shadow(badge, 'button').click();
  },

  async 'review-queue'(stage, { dialog = false } = {}) {
    const queue = stage.appendChild(
      mount('c-synthetic-review-queue', SyntheticReviewQueue, {
        defaultObject: 'Lead',
        pageSize: 50
      })
    );
    await settle(10);
    const table = shadow(queue, 'lightning-datatable');
    const boxes = [...table.shadowRoot.querySelectorAll('tbody lightning-primitive-cell-checkbox')]
      .map((cell) => cell.shadowRoot.querySelector('input[type="checkbox"]'))
      .slice(0, 2);
    boxes.forEach((box) => box.click());
    if (!dialog) return;
    await settle();
    shadow(queue, 'lightning-button[data-action="reject"]')
      .shadowRoot.querySelector('button')
      .click();
    await settle(10);
    // The reason dialog is c-synthetic-reason-modal, opened by LightningModal.open.
    const textarea = deep(document, 'lightning-textarea');
    const input = textarea.shadowRoot.querySelector('textarea');
    input.value =
      'Scraped profiles from LeadGen Copilot: no consent basis; rejecting per DPA review 2026-11.';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  },

  async 'review-dialog'(stage) {
    await scenes['review-queue'](stage, { dialog: true });
  },

  async 'audit-timeline'(stage) {
    stage.appendChild(
      mount('c-synthetic-audit-timeline', SyntheticAuditTimeline, {
        recordId: '00Q5g00000Timeline0'
      })
    );
  },

  async 'recall-requested'(stage) {
    stage.appendChild(
      mount('c-synthetic-recall-panel', SyntheticRecallPanel, { recordId: 'a0R5g00000Recall001' })
    );
  },

  async 'recall-applied'(stage) {
    stage.appendChild(
      mount('c-synthetic-recall-panel', SyntheticRecallPanel, { recordId: 'a0R5g00000Recall002' })
    );
  },

  async 'alert-admin'(stage) {
    stage.appendChild(mount('c-synthetic-alert-admin', SyntheticAlertAdmin, { alertLimit: 50 }));
  },

  async 'audit-timeline-broken'(stage) {
    stage.appendChild(
      mount('c-synthetic-audit-timeline', SyntheticAuditTimeline, {
        recordId: '00Q5g00000Timeline1'
      })
    );
  }
};

function index(stage) {
  stage.appendChild(
    html(
      'h1',
      'slds-text-heading_medium slds-m-bottom_small',
      'Synthetic Data Guard: component preview'
    )
  );
  const list = stage.appendChild(html('ul', 'slds-list_dotted'));
  for (const name of Object.keys(scenes)) {
    const link = list.appendChild(html('li')).appendChild(html('a', '', name));
    link.href = `#${name}`;
  }
}

async function show() {
  document.body.removeAttribute('data-ready');
  const stage = document.getElementById('stage');
  stage.replaceChildren();
  const scene = scenes[location.hash.slice(1)];
  try {
    if (scene) await scene(stage);
    else index(stage);
    await settle();
    document.body.dataset.ready = 'true';
  } catch (error) {
    document.body.dataset.ready = 'error';
    stage.appendChild(html('pre', 'slds-text-color_error', String(error?.stack ?? error)));
  }
}

window.addEventListener('hashchange', show);
window.addEventListener('lightning__showtoast', (event) =>
  console.info('toast', JSON.stringify(event.detail))
);
show();

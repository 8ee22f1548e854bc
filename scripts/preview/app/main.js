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
function highlights(title, badge, { icon: iconName = 'lead', object = 'Lead' } = {}) {
  const header = html('div', 'slds-page-header slds-page-header_record-home');
  const row = header.appendChild(html('div', 'slds-page-header__row'));
  const col = row.appendChild(html('div', 'slds-page-header__col-title'));
  const media = col.appendChild(html('div', 'slds-media slds-media_center'));
  const figure = media.appendChild(html('div', 'slds-media__figure'));
  const icon = figure.appendChild(
    html('span', `slds-icon_container slds-icon-standard-${iconName.replace(/_/g, '-')}`)
  );
  icon.innerHTML =
    '<svg class="slds-icon slds-page-header__icon" aria-hidden="true">' +
    `<use href="/assets/icons/standard-sprite/svg/symbols.svg#${iconName}"></use></svg>`;
  const body = media.appendChild(html('div', 'slds-media__body'));
  body.appendChild(html('span', 'slds-text-body_small', object));
  const name = body.appendChild(html('div', 'slds-grid slds-grid_vertical-align-center'));
  name.appendChild(html('h1', 'slds-page-header__title slds-m-right_small', title));
  name.appendChild(badge);
  return header;
}

// An Experience Cloud page as Experience Builder lays one out: the site's header and navigation,
// then the record detail region the badge is dropped into.
function sitePage(stage, siteName, nav) {
  const header = stage.appendChild(html('header', 'sdg-site-header slds-p-around_medium'));
  header.appendChild(html('span', 'slds-text-heading_medium', siteName));
  const menu = header.appendChild(html('nav', 'slds-m-top_x-small'));
  menu.setAttribute('aria-label', siteName);
  const list = menu.appendChild(html('ul', 'slds-list_horizontal slds-has-dividers_right'));
  for (const item of nav) list.appendChild(html('li', 'slds-item', item));
  return stage.appendChild(html('div', 'slds-grid slds-wrap slds-gutters slds-p-around_medium'));
}

// One product review on the site, with the badge where the builder placed it.
function siteRecord(grid, caption, title, badge, body) {
  const col = grid.appendChild(html('div', 'slds-col slds-size_1-of-2'));
  col.appendChild(html('p', 'slds-text-title_caps slds-p-bottom_x-small', caption));
  const article = col.appendChild(html('article', 'slds-box slds-theme_default'));
  article.appendChild(html('h2', 'slds-text-heading_small slds-m-bottom_x-small', title));
  article.appendChild(badge);
  article.appendChild(html('p', 'slds-m-top_small', body));
  return col;
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
    stage.appendChild(html('div')).style.height = '18rem';
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
    const table = shadow(queue, 'c-synthetic-queue-table');
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

  // The badge in an Experience Builder page: a guest reads only that the review is AI-generated
  // (the server strips the rest); a partner user the admin allowed sees the provenance too.
  async 'site-badge'(stage) {
    const grid = sitePage(stage, 'Northwind Outdoor Community', [
      'Home',
      'Products',
      'Reviews',
      'Support'
    ]);
    const review =
      'Lightweight, warm and packs small. Kept me comfortable through three nights at 2,000 m.';
    const guest = mount('c-synthetic-badge', SyntheticBadge, {
      recordId: '00Q5g00000SiteGuest',
      showDetails: true
    });
    siteRecord(grid, 'Guest user (signed out)', 'Alpine 30 down jacket', guest, review);
    const partner = mount('c-synthetic-badge', SyntheticBadge, {
      recordId: '00Q5g00000SitePartner',
      showDetails: true
    });
    const col = siteRecord(
      grid,
      'Partner user with Synthetic Provenance Viewer',
      'Alpine 30 down jacket',
      partner,
      review
    );
    col.appendChild(html('div')).style.height = '11rem';
    await settle();
    shadow(partner, 'button').click();
  },

  // A file (ContentDocument) detail page: the badge reads the latest version's provenance and its
  // media scan verdict.
  async 'file-badge'(stage) {
    const badge = mount('c-synthetic-badge', SyntheticBadge, {
      recordId: '0695g00000FilePage0',
      objectApiName: 'ContentDocument',
      showDetails: true,
      showSignals: true
    });
    stage.appendChild(
      highlights('spring-campaign-hero.png', badge, { icon: 'file', object: 'File' })
    );
    stage.appendChild(html('div')).style.height = '18rem';
    await settle();
    shadow(badge, 'button').click();
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

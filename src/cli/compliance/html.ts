/**
 * `--html FILE`: one self-contained page people can mail around. Rows are rendered here (escaped) so the
 * page reads without script; the inline script only sorts and filters. The CSP allows exactly the page's own
 * style and script (by hash) and nothing else: no other script, inline or injected, no request, no form
 * submission, no <base>. Were a value ever to slip through unescaped, it could not run or send anything.
 */
import { createHash } from "crypto";
import { redactCredentials } from "../../core/access-keys";
import { configRuleConsoleUrl } from "../../core/aws-facts";
import {
    COMPLIANCE_TYPES,
    describeAccounts,
    inventoryNotes,
    inventoryRows,
    type ComplianceReport,
    type ComplianceType,
} from "./report-model";
import { formatTime, inventoryCountLine, lastUsedText, scopeLine, sourceLine } from "./table";

/** CSP source for exactly this inline text: `'sha256-<base64 of its SHA-256>'`. */
export function cspHash(text: string): string {
    return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * default-src covers scripts, styles, images, fonts, frames and fetches; form-action and base-uri do not fall
 * back to it, so they are named. frame-ancestors would be ignored in a <meta> policy, so it is left out.
 */
export function pageCsp(style: string, script: string): string {
    return `default-src 'none'; style-src ${cspHash(style)}; script-src ${cspHash(script)}; form-action 'none'; base-uri 'none'`;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
    return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A region becomes part of a host name in the link: anything but `xx-name-1` gets no link at all. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function consoleLink(region: string, configRuleName: string): string | undefined {
    return REGION.test(region) ? configRuleConsoleUrl(region, configRuleName) : undefined;
}

/**
 * Rows laid out at once. A 5,000-account organization is 10,000+ rows; laying all of them out made
 * loading, sorting and clearing the filter take seconds in Chromium. Matching rows past this are kept
 * in the DOM, hidden, behind "Show more".
 */
export const PAGE_ROWS = 500;

const LABEL: Record<ComplianceType, string> = {
    NON_COMPLIANT: "Non-compliant",
    INSUFFICIENT_DATA: "Insufficient data",
    COMPLIANT: "Compliant",
    NOT_APPLICABLE: "Not applicable",
};

export function renderHtml(report: ComplianceReport): string {
    // The report's values are redacted already (report-model.ts); one more pass over the page is the last
    // defence, as the table has it. It runs before the style and script go in: their hashes are of exactly the
    // text the page carries, and data, being escaped, can never contain the empty element the style and
    // script take the place of.
    const script = pageScript();
    const page = redactCredentials(renderPage(report, pageCsp(STYLE, script)));
    return page
        .replace("<style></style>", () => `<style>${STYLE}</style>`)
        .replace("<script></script>", () => `<script>${script}</script>`);
}

function pageScript(): string {
    return SCRIPT.replace("__PAGE_ROWS__", String(PAGE_ROWS));
}

function renderPage(report: ComplianceReport, csp: string): string {
    const s = report.summary;
    const title = `rootguard compliance — ${sourceLine(report)}`;
    const rows = report.evaluations.map((e, i) => {
        const url = consoleLink(e.region, e.configRuleName);
        const link = url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">Config console</a>` : "";
        const ruleTitle = e.configRuleName !== e.rule ? ` title="${escapeHtml(e.configRuleName)}"` : "";
        const note = e.annotation ? ` title="${escapeHtml(e.annotation)}"` : "";
        return (
            `<tr data-status="${e.compliance}"${i >= PAGE_ROWS ? " hidden" : ""}><td>${escapeHtml(e.accountId)}</td><td>${escapeHtml(e.region)}</td>` +
            `<td${ruleTitle}>${escapeHtml(e.rule)}</td>` +
            `<td data-sort="${COMPLIANCE_TYPES.indexOf(e.compliance)}"><span class="badge ${e.compliance}"${note}>${LABEL[e.compliance]}</span></td>` +
            `<td data-sort="${escapeHtml(e.lastEvaluated ?? "")}">${escapeHtml(formatTime(e.lastEvaluated))}</td><td>${link}</td></tr>`
        );
    });
    const cards = [
        card("accounts", s.accounts, "accounts"),
        card("non-compliant-accounts", s.nonCompliantAccounts, "accounts non-compliant", "NON_COMPLIANT"),
        card("evaluations", s.evaluations, "evaluations"),
        ...COMPLIANCE_TYPES.map((t) => card(t, s.byCompliance[t], LABEL[t].toLowerCase(), t, true)),
    ];
    const options = COMPLIANCE_TYPES.map((t) => `<option value="${t}">${LABEL[t]}</option>`).join("");
    const skipped =
        report.rulesNotFound.length > 0
            ? `<p class="meta">Not deployed, skipped: ${report.rulesNotFound.map(escapeHtml).join(", ")}</p>`
            : "";
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style></style>
</head>
<body>
<header>
<h1>Root credential compliance</h1>
<p class="meta" id="scope">${escapeHtml(scopeLine(report))} · generated <time id="generated" datetime="${escapeHtml(report.generatedAt)}">${escapeHtml(formatTime(report.generatedAt))}</time></p>
<p class="meta">Rules: ${report.rules.map(escapeHtml).join(", ")}</p>
${skipped}
</header>
<main>
<section class="summary" aria-label="Summary">${cards.join("")}</section>
<div class="controls">
<label>Filter <input id="filter" type="search" autocomplete="off" placeholder="account, region, rule or status"></label>
<label>Status <select id="status"><option value="">All</option>${options}</select></label>
<span id="shown" aria-live="polite">${rows.length} of ${rows.length} rows</span>
</div>
<table id="evaluations">
<thead><tr>${["Account", "Region", "Rule", "Compliance", "Last evaluated"].map((h, i) => `<th aria-sort="none"><button type="button" data-col="${i}">${h}</button></th>`).join("")}<th>Console</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
<p class="more"><button type="button" id="more" hidden>Show ${PAGE_ROWS} more</button> <button type="button" id="all" hidden>Show all</button></p>
${rows.length > PAGE_ROWS ? `<noscript><p class="empty">Showing the first ${PAGE_ROWS} of ${rows.length} rows: open the page with JavaScript enabled to see, sort and filter all of them.</p></noscript>` : ""}
${rows.length === 0 ? `<p class="empty">No account reports these rules yet.</p>` : ""}
${inventorySection(report)}
</main>
<footer>Generated by rootguard ${escapeHtml(report.generatedAt)}. Console links open AWS Config in the account's region; sign in to that account first.</footer>
<script></script>
</body>
</html>
`;
}

function card(id: string, n: number, label: string, status?: ComplianceType, clickable = false): string {
    const cls = `card${status ? ` ${status}` : ""}`;
    const body = `<span class="n" data-count="${id}">${n}</span><span class="l">${escapeHtml(label)}</span>`;
    // Status cards double as quick filters.
    return clickable
        ? `<button type="button" class="${cls}" data-status="${status}" aria-pressed="false" title="Evaluations (account, rule, region) with this status; click to show only them">${body}</button>`
        : `<div class="${cls}">${body}</div>`;
}

function inventorySection(report: ComplianceReport): string {
    if (!report.inventory) return "";
    const { listed, withoutKeys } = inventoryRows(report);
    const rows: string[] = [];
    for (const inv of listed) {
        const account = `<td>${escapeHtml(inv.accountId)}</td>`;
        if (inv.error !== undefined) rows.push(`<tr>${account}<td colspan="4">Inventory failed: ${escapeHtml(inv.error)}</td></tr>`);
        for (const k of inv.keys) {
            rows.push(
                `<tr>${account}<td><code>${escapeHtml(k.keyId)}</code></td><td>${escapeHtml(k.status)}</td><td>${escapeHtml(formatTime(k.created))}</td><td>${escapeHtml(lastUsedText(k))}</td></tr>`,
            );
        }
    }
    const noteItems = inventoryNotes(report).map(
        (n) => `<li>${escapeHtml(n.note)} <span class="meta">(${escapeHtml(describeAccounts(n.accounts))})</span></li>`,
    );
    const notes = noteItems.length > 0 ? `<h3>Inventory notes</h3><ul id="inventory-notes">${noteItems.join("")}</ul>` : "";
    const table =
        rows.length > 0
            ? `<table id="inventory"><thead><tr><th>Account</th><th>Key</th><th>Status</th><th>Created</th><th>Last used</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`
            : "";
    return `<section aria-label="Root access keys"><h2>Root access keys</h2>
${table}<p class="meta" id="inventory-count">${escapeHtml(inventoryCountLine(report.inventory.length, withoutKeys))}</p>${notes}</section>`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6570;--bg:#fff;--line:#d8dee4;--head:#f4f6f8;
--bad:#b42318;--badbg:#fde8e7;--warn:#8a5a00;--warnbg:#fff4d6;--ok:#1a7f37;--okbg:#e6f4ea;--na:#57606a;--nabg:#eef1f4}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa5b1;--bg:#0f1419;--line:#30363d;--head:#161b22;
--bad:#ff8e86;--badbg:#3d1512;--warn:#f2cc60;--warnbg:#3a2e0b;--ok:#7ee2a8;--okbg:#0f2e1c;--na:#a4adb8;--nabg:#1f252c}}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{padding:0 24px}header{padding-top:20px}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:var(--muted);margin:2px 0}
.summary{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{display:flex;flex-direction:column;min-width:130px;padding:10px 14px;border:1px solid var(--line);border-radius:8px;background:var(--head);color:inherit;font:inherit;text-align:left}
button.card{cursor:pointer}button.card[aria-pressed=true]{outline:2px solid currentColor}
.card .n{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}.card .l{color:var(--muted)}
.card.NON_COMPLIANT .n{color:var(--bad)}.card.INSUFFICIENT_DATA .n{color:var(--warn)}.card.COMPLIANT .n{color:var(--ok)}.card.NOT_APPLICABLE .n{color:var(--na)}
.controls{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:8px 0 10px}
input,select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:inherit}input{width:300px}
#shown{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
td:first-child,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
thead th{position:sticky;top:0;background:var(--head)}th button{all:unset;cursor:pointer;font-weight:600}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
th button:focus-visible{outline:2px solid currentColor}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.badge.NON_COMPLIANT{color:var(--bad);background:var(--badbg)}.badge.INSUFFICIENT_DATA{color:var(--warn);background:var(--warnbg)}
.badge.COMPLIANT{color:var(--ok);background:var(--okbg)}.badge.NOT_APPLICABLE{color:var(--na);background:var(--nabg)}
a{color:inherit}.empty{color:var(--muted)}.more button{font:inherit;padding:5px 12px;border:1px solid var(--line);border-radius:6px;background:var(--head);color:inherit;cursor:pointer}footer{color:var(--muted);margin:24px 0;font-size:12px}
`;

// Plain ES2015, no modules: it runs from file:// under the page's CSP.
const SCRIPT = `
(function () {
  "use strict";
  var table = document.getElementById("evaluations");
  var tbody = table.tBodies[0];
  var items = Array.prototype.map.call(tbody.rows, function (row, i) {
    return { row: row, index: i, text: row.textContent.toLowerCase(), status: row.getAttribute("data-status") };
  });
  var filter = document.getElementById("filter");
  var status = document.getElementById("status");
  var shown = document.getElementById("shown");
  var cards = document.querySelectorAll("button.card[data-status]");

  var more = document.getElementById("more");
  var all = document.getElementById("all");
  var PAGE = __PAGE_ROWS__;
  var limit = PAGE;

  // Touch only rows whose visibility changes: each write invalidates style, and there can be 10,000+.
  function apply() {
    var terms = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = status.value;
    var n = 0;
    items.forEach(function (it) {
      var ok = (!wanted || it.status === wanted) && terms.every(function (t) { return it.text.indexOf(t) >= 0; });
      var hide = !ok || n >= limit;
      if (ok) n++;
      if (it.row.hidden !== hide) it.row.hidden = hide;
    });
    var visible = Math.min(n, limit);
    shown.textContent = n + " of " + items.length + " rows" + (visible < n ? " (showing " + visible + ")" : "");
    more.hidden = all.hidden = visible >= n;
    Array.prototype.forEach.call(cards, function (c) { c.setAttribute("aria-pressed", String(c.getAttribute("data-status") === wanted)); });
  }

  function reset() {
    limit = PAGE;
    apply();
  }

  function key(it, col) {
    var cell = it.row.cells[col];
    var v = cell.getAttribute("data-sort");
    return v === null ? cell.textContent : v;
  }

  function sortBy(col, th) {
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var sign = dir === "ascending" ? 1 : -1;
    items.forEach(function (it) { it.key = key(it, col); });
    items.sort(function (a, b) {
      return (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * sign || a.index - b.index;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { if (c.hasAttribute("aria-sort")) c.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir);
    var frag = document.createDocumentFragment();
    items.forEach(function (it) { frag.appendChild(it.row); });
    tbody.appendChild(frag);
    apply();
  }

  filter.addEventListener("input", reset);
  status.addEventListener("change", reset);
  more.addEventListener("click", function () { limit += PAGE; apply(); });
  all.addEventListener("click", function () { limit = Infinity; apply(); });
  Array.prototype.forEach.call(cards, function (c) {
    c.addEventListener("click", function () {
      var s = c.getAttribute("data-status");
      status.value = status.value === s ? "" : s;
      reset();
    });
  });
  Array.prototype.forEach.call(table.tHead.querySelectorAll("button[data-col]"), function (b) {
    b.addEventListener("click", function () { sortBy(Number(b.getAttribute("data-col")), b.parentNode); });
  });
  apply();
})();
`;

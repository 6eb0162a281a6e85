"""Accessibility checks for Playwright (sync API) pages: axe-core's WCAG 2.2 A/AA rules, and
horizontal overflow (WCAG 1.4.10 Reflow) at a narrow viewport.

axe-core comes from npm (package.json pins it exactly; package-lock.json locks it), so the file
is node_modules/axe-core/axe.min.js after `npm ci`. Nothing is fetched at run time.

    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert not overflowing(page), overflowing(page)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

# axe-core's tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA. "wcag22a" matches no rule in
# axe-core 4.14 but costs nothing and picks up any later rule. Rules tagged "experimental" or
# "deprecated" stay off; rules that are off by default but carry one of these tags (target-size,
# wcag22aa) DO run when asked for by tag.
WCAG22_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa")


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `npm ci` (axe-core is in package.json)")
    return AXE_JS.read_text(encoding="utf-8")


_RUN_AXE = """async ([tags, context, disabled]) => {
  const rules = Object.fromEntries(disabled.map((id) => [id, { enabled: false }]));
  const results = await axe.run(context ?? document, {
    runOnly: { type: 'tag', values: tags },
    rules,
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
  }));
}"""


def axe_violations(
    page: Any,
    *,
    tags: tuple[str, ...] = WCAG22_AA,
    context: str | dict | None = None,
    disabled: tuple[str, ...] = (),
) -> list[dict]:
    """axe-core's violations on the page as it is now, one dict per rule:
    {id, impact, help, helpUrl, nodes: [{target, html, summary}]}. Empty when it passes.

    context: a CSS selector or {include: [...], exclude: [...]} (axe's context), default the
    whole document. disabled: rule ids to switch off (say why, next to the call).
    """
    # page.evaluate, not page.add_script_tag: an injected <script> is blocked by a
    # Content-Security-Policy without 'unsafe-inline'; evaluate (DevTools protocol) is not.
    # After a navigation the new document has no axe, so check each time (cheap).
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(_RUN_AXE, [list(tags), context, list(disabled)])


def format_violations(violations: list[dict]) -> str:
    """One line per rule and element, for an assertion message."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {target}")
    return f"{len(lines)} accessibility violation(s):\n" + "\n".join(lines)


_OVERFLOWING = """async () => {
  await document.fonts.ready;                    // widths change when web fonts arrive
  const root = document.documentElement;
  const vw = root.clientWidth;                   // the viewport less any vertical scrollbar
  const sx = window.scrollX;
  const slack = 0.5;                             // sub-pixel rounding
  // An ancestor (below <body>) that scrolls or clips horizontally contains the overflow:
  // a GOV.UK table inside an overflow-x:auto wrapper, or .govuk-visually-hidden text.
  const container = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return a;
    }
    return null;
  };
  const describe = (el, r) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim())
      d += '.' + el.className.trim().split(/\\s+/).join('.');
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${d} width=${Math.round(r.width)}px right=${Math.round(r.right + sx)}px`
      + ` (viewport ${vw}px)` + (text ? ` "${text}"` : '');
  };
  const found = [];
  const offenders = new Set();
  const outermost = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right + sx <= vw + slack && r.left + sx >= -slack) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    const box = container(el);
    if (box) {
      const b = box.getBoundingClientRect();
      if (b.right + sx <= vw + slack && b.left + sx >= -slack) continue;
    }
    offenders.add(el);
    if (el.parentElement && offenders.has(el.parentElement)) continue;  // report the outermost
    outermost.push([el, r]);
  }
  for (const [el, r] of outermost) {
    // ...and, as the likely cause, the widest offender inside it that has no offending child
    // and is not a table part (a <code> holding a hash, not the cell or column it widens).
    let cause = null, cw = 0;
    for (const o of offenders) {
      if (o === el || !el.contains(o) || [...o.children].some((c) => offenders.has(c))) continue;
      if (getComputedStyle(o).display.startsWith('table')) continue;  // cells stretch to fit
      const w = o.getBoundingClientRect().width;
      if (w >= r.width - 1) continue;
      if (w > cw) { cause = o; cw = w; }
    }
    const inside = cause ? describe(cause, cause.getBoundingClientRect()) : '';
    found.push(describe(el, r) + (cause ? `; widest inside it: ${inside}` : ''));
  }
  if (root.scrollWidth > vw && !found.length)
    found.push(`document scrollWidth=${root.scrollWidth}px > viewport ${vw}px (no element found)`);
  return found;
}"""


def overflowing(page: Any) -> list[str]:
    """The elements that stick out of the viewport sideways (outermost only), as
    'tag#id.class width=...px right=...px (viewport ...px) "text"'. Empty when the page fits.

    Elements inside a horizontally scrolling (or clipping) box that itself fits are fine.
    """
    return page.evaluate(_OVERFLOWING)


def scrolls_sideways(page: Any) -> bool:
    """The quick check: does the page itself scroll horizontally?"""
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )

// How a change request reads on a page (shared by "My schedule" and the requests inbox):
// what is asked, the rule check and score change, the re-planning diff, the steps so far.
import { esc, fmtDay, fmtUtc, getLang, SCORE_TERMS, t } from "./app.js";

export const OPEN = ["submitted", "accepted"];

/** Names for ids: {officer(id), post(id), shift(id)} → display strings. */
export function namer({ officers = {}, posts = {}, shifts = {} }) {
  return {
    officer: (id) => (officers[id] ? officers[id] : id),
    post: (id) => (posts[id] ? posts[id].name : id),
    shift: (id) => (shifts[id] ? shifts[id].name : id),
  };
}

export function dutyText(duty, names, { officer = true } = {}) {
  const who = officer && duty.officer ? `${names.officer(duty.officer)} · ` : "";
  return `${who}${fmtDay(duty.date)} ${names.shift(duty.shift)} · ${names.post(duty.post)}`;
}

function stamp(value) {
  return String(value).replace("T", " ").slice(0, 16);
}

/** One line saying what the change asks for. */
export function describe(change, names) {
  const p = change.payload;
  switch (change.kind) {
    case "swap":
      return t("change.describe.swap", { a: dutyText(p.duty, names), b: dutyText(p.with_duty, names) });
    case "cover":
      return t("change.describe.cover", { a: dutyText(p.duty, names), b: names.officer(p.to_officer) });
    case "leave":
      return t("change.describe.leave", { who: names.officer(p.officer), start: stamp(p.start), end: stamp(p.end) });
    case "coverage_change":
      return t("change.describe.coverage", {
        post: names.post(p.post),
        shift: names.shift(p.shift),
        from: p.from_date,
        min: p.min,
        max: p.max ?? p.min,
      });
    case "call_out":
      return t("change.describe.callOut", { a: dutyText(p.standby_duty, names), post: names.post(p.post) });
    case "duty_level":
      return t("change.describe.level", {
        level: t(`level.${p.level}`),
        units: (p.units || [t("change.wholeDetachment")]).join(t("common.sep")),
        start: p.start,
        end: p.end,
      });
    default:
      return change.kind;
  }
}

function signed(n) {
  if (!n) return "0";
  return n > 0 ? `+${n}` : String(n);
}

export function ruleName(rule) {
  const key = `rule.${rule}`;
  const text = t(key);
  return text === key ? rule : text;
}

function duration(minutes) {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return m ? t("msg.hoursMinutes", { h, m }) : t("msg.hours", { h });
}

/**
 * A broken rule (a violation of the referee or a block of who-can-cover) in the page's language,
 * from its rule id and `params`; the rule's name alone when it has no values to tell.
 */
export function ruleMessage(v, names) {
  const p = v.params || {};
  const hours = (n) => Math.round((Number(n) / 60) * 10) / 10;
  const other = p.other_date
    ? `${fmtDay(p.other_date)} ${names.shift(p.other_shift)}${p.other_post ? ` · ${names.post(p.other_post)}` : ` ${t("msg.history")}`}`
    : "";
  const from = p.from || v.date || "";
  switch (v.rule) {
    case "min_rest":
      if (!other) break;
      return p.gap_minutes !== undefined
        ? t("msg.min_rest", { other, gap: duration(p.gap_minutes), rest: duration(p.rest_minutes) })
        : t("msg.min_rest.block", { other, rest: duration(p.rest_minutes) });
    case "overlap":
      if (other) return t("msg.overlap", { other });
      break;
    case "max_minutes_per_7_days":
      if (p.minutes !== undefined) return t("msg.max_minutes_per_7_days", { from: from && fmtDay(from), hours: hours(p.minutes), limit: hours(p.limit) });
      break;
    case "min_days_off_per_7_days":
      if (p.off !== undefined) return t("msg.min_days_off_per_7_days", { from: from && fmtDay(from), off: p.off, need: p.need });
      break;
    case "max_consecutive_days":
    case "max_consecutive_nights":
      if (p.run !== undefined) return t(`msg.${v.rule}`, { run: p.run, limit: p.limit });
      break;
    case "coverage_max":
      if (p.assigned !== undefined) return t("msg.coverage_max", { assigned: p.assigned, max: p.max });
      break;
    case "unavailable":
      if (p.start) return t("msg.unavailable", { start: stamp(p.start), end: stamp(p.end), reason: p.reason ? `（${p.reason}）` : "" });
      break;
    default:
      break;
  }
  return getLang() === "en" && v.message ? v.message : ruleName(v.rule);
}

/** The rule check: ok or the hard rules it would break, and the score before → after. */
export function checkHtml(check, names) {
  if (!check) return `<p class="muted small">${esc(t("change.noCheck"))}</p>`;
  const verdict = check.ok
    ? `<span class="check-ok">✓ ${esc(t("change.checkOk"))}</span>`
    : `<span class="check-bad">✗ ${esc(t("change.checkBad", { n: check.violations.length }))}</span>`;
  const violations = check.violations
    .map((v) => {
      const where = [v.officer && names.officer(v.officer), v.date && fmtDay(v.date), v.shift && names.shift(v.shift), v.post && names.post(v.post)]
        .filter(Boolean)
        .join(" · ");
      return `<li><strong>${esc(ruleName(v.rule))}</strong> ${esc(where)} — <span class="muted" title="${esc(v.message)}">${esc(ruleMessage(v, names))}</span></li>`;
    })
    .join("");
  const delta = check.score_delta || {};
  const total = delta.total ?? (check.score_after.total ?? 0) - (check.score_before.total ?? 0);
  const terms = SCORE_TERMS.filter((term) => delta[term])
    .map((term) => `${t(`term.${term}`)} ${signed(delta[term])}`)
    .join(t("common.sep"));
  const cls = total > 0 ? "delta-pos" : total < 0 ? "delta-neg" : "";
  const stage = check.stage === "proposal" ? t("change.stage.proposal") : t("change.stage.request");
  const short = delta.shortfall > 0 ? `<p class="warn">⚠ ${esc(t("change.makesShort"))}</p>` : "";
  return `<div class="check">${verdict} · ${esc(t("change.score"))} ${check.score_before.total ?? "–"} → ${check.score_after.total ?? "–"} (<span class="${cls}">${esc(signed(total))}</span>)${terms ? ` <span class="muted small">${esc(terms)}</span>` : ""} <span class="muted small">${esc(stage)}</span>${violations ? `<ul>${violations}</ul>` : ""}${short}</div>`;
}

/** The re-planning proposal (leave, coverage changes): status and who gets or loses which duty. */
export function proposalHtml(proposal, names) {
  if (!proposal) return "";
  if (proposal.status === "pending" || proposal.status === "running") {
    return `<p class="notice">⏳ ${esc(t("change.replanning"))}</p>`;
  }
  if (proposal.status === "failed") {
    return `<p class="warn">${esc(t("change.replanFailed"))} ${esc(proposal.message || "")}</p>`;
  }
  const rows = Object.entries(proposal.by_officer || {})
    .map(([officer, diff]) => {
      const removed = diff.removed
        .map((d) => `<div class="removed">− ${esc(dutyText(d, names, { officer: false }))}</div>`)
        .join("");
      const added = diff.added.map((d) => `<div class="added">+ ${esc(dutyText(d, names, { officer: false }))}</div>`).join("");
      return `<tr><th>${esc(names.officer(officer))}</th><td>${removed}${added}</td></tr>`;
    })
    .join("");
  const link = proposal.roster_id
    ? ` <a href="/ui/roster?roster=${proposal.roster_id}">${esc(t("change.openProposal", { id: proposal.roster_id }))}</a>`
    : "";
  const carries = (proposal.carries || [])
    .map((c) => {
      const removed = c.removed.map((d) => `<div class="removed">− ${esc(dutyText(d, names))}</div>`).join("");
      return `<li>${esc(t("change.carries", { id: c.roster_id, start: c.start, days: c.days, n: c.removed.length }))}${removed}</li>`;
    })
    .join("");
  return `<div class="diff"><h4>${esc(t("change.replan", { n: proposal.changed }))}${link}</h4>${rows ? `<div class="table-scroll"><table class="list"><tbody>${rows}</tbody></table></div>` : `<p class="muted">${esc(t("change.noDiff"))}</p>`}${carries ? `<ul class="carries">${carries}</ul>` : ""}</div>`;
}

export function stepsHtml(change) {
  const steps = change.steps
    .map(
      (s) =>
        `<li>${esc(fmtUtc(s.at))} · ${esc(s.actor)} · ${esc(t(`step.${s.action}`) === `step.${s.action}` ? s.action : t(`step.${s.action}`))}${s.reason ? ` — ${esc(s.reason)}` : ""}</li>`,
    )
    .join("");
  return steps ? `<details class="small"><summary>${esc(t("change.steps"))}</summary><ul>${steps}</ul></details>` : "";
}

export function statusBadge(status) {
  return `<span class="badge ${esc(status)}">${esc(t(`change.status.${status}`))}</span>`;
}

/**
 * The who-can-cover list (GET /cover) as radio rows: every officer, those who can first (best score
 * change, then same unit, same post, fewest hours, as the API ranks them), then under a heading those
 * who cannot, each with the rules that exclude them in the page's language.
 */
export function coverRows(candidates, names, cat) {
  const row = (c) => {
    const terms = Object.entries(c.delta || {})
      .filter(([term, n]) => term !== "total" && n)
      .map(([term, n]) => `${t(`term.${term}`)} ${n > 0 ? "+" : ""}${n}`)
      .join(t("common.sep"));
    const delta =
      c.total === null || c.total === undefined
        ? ""
        : `<span class="${c.total > 0 ? "delta-pos" : c.total < 0 ? "delta-neg" : ""}" title="${esc(terms)}">${esc(t("cover.delta", { n: c.total > 0 ? `+${c.total}` : c.total }))}</span>`;
    const why = [...new Set(c.blocks.map((b) => ruleMessage(b, names)))].join("；");
    const ties = [c.same_unit ? t("cover.sameUnit") : "", c.same_post ? t("cover.samePost") : "", t("cover.hours", { h: Math.round((c.minutes / 60) * 10) / 10 })]
      .filter(Boolean)
      .join(" · ");
    return `<li class="${c.can ? "" : "blocked"}" data-officer="${esc(c.officer.id)}"><input type="radio" name="to" value="${esc(c.officer.id)}"${c.can ? "" : " disabled"} aria-label="${esc(c.officer.name)}"><span class="who"><strong>${esc(c.officer.name)}</strong> <small class="muted">${esc(c.officer.id)} · ${esc(cat.unitName[c.officer.unit] || c.officer.unit)} · ${esc(ties)}</small>${why ? `<br><small class="why">${esc(why)}</small>` : ""}${c.can && terms ? `<br><small class="muted">${esc(terms)}</small>` : ""}</span>${c.can ? delta : `<span class="tag no">${esc(t("swap.cannotTake"))}</span>`}</li>`;
  };
  const can = candidates.filter((c) => c.can);
  const cannot = candidates.filter((c) => !c.can);
  return (
    `<li class="list-head">${esc(t("cover.canHead", { n: can.length }))}</li>` +
    can.map(row).join("") +
    (cannot.length ? `<li class="list-head">${esc(t("cover.cannotHead", { n: cannot.length }))}</li>${cannot.map(row).join("")}` : "")
  );
}

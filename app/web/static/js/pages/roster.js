// The roster grid: posts (rows, grouped by unit and kind) × days and shifts (columns), officer
// names in the cells, short slots marked with the solver's reason. Shows the published roster,
// or (staff) any stored version, e.g. a draft under review. On a narrow screen: one day at a time.
import {
  $,
  addDays,
  api,
  apiAll,
  errorText,
  esc,
  flash,
  fmtDay,
  getLang,
  kindName,
  loadCatalogue,
  mondayOf,
  nowLocal,
  openDialog,
  params,
  POST_KINDS,
  shortfallReason,
  showError,
  slotGaps,
  slotNeed,
  startPage,
  t,
  weekday,
} from "../app.js";
import { daySheetButton, wireDaySheets } from "../sheets.js";
import { coverRows, namer, ruleName } from "../changes.js";

const narrow = window.matchMedia("(max-width: 760px)");

const state = {
  user: null,
  cat: null,
  posts: [],
  postById: {},
  skills: {},
  ownUnit: null,
  versions: [],
  roster: null, // the version shown, when one is chosen
  days: [],
  duties: [],
  shortfalls: {}, // "post|date|shift" → {reasons: [{missing, skill, reason}], draft}
  cells: {},
  published: null, // when a version is shown: "post|date|shift" → officers published there
  officerSkills: null, // officer → skills (staff, for the gaps of a stored version)
  dutyShifts: {}, // post → shifts it has duties in
  needs: {}, // "post|date|shift" → {min, max, skills}: the coverage the shown version was solved for
  needShifts: {}, // post → shifts it has a slot in, that week
  planned: null, // published roster: the "unit|date" a version is published for (others are not planned)
  day: "",
};

const isStaff = () => state.user.role !== "officer";
const key = (post, day, shift) => `${post}|${day}|${shift}`;

// --------------------------------------------------------------------------- loading

async function loadVersions() {
  if (!isStaff()) return;
  const page = await api("/rosters", { query: { limit: 50 } });
  state.versions = page.items;
  const select = $("#version");
  select.innerHTML =
    `<option value="">${esc(t("roster.published"))}</option>` +
    state.versions
      .map(
        (r) =>
          `<option value="${r.id}">#${r.id} ${esc(t(`status.${r.status}`))} · ${esc(r.start)} +${r.days}${esc(t("common.days"))}</option>`,
      )
      .join("");
  select.value = params.get("roster");
  if (select.value !== params.get("roster")) select.value = "";
  $("#version-field").hidden = false;
}

async function loadWeek() {
  const start = $("#start").value;
  const end = addDays(start, 7);
  state.days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const version = $("#version").value;
  state.shortfalls = {};
  state.needs = {};
  state.needShifts = {};
  state.roster = null;
  state.published = null;
  state.planned = null;
  if (version) {
    const [roster, duties, score, officers, published, stored, needs] = await Promise.all([
      api(`/rosters/${version}`),
      apiAll(`/rosters/${version}/duties`, { start, end }),
      api(`/rosters/${version}/score`, { query: { limit: 1000 } }),
      state.officerSkills ? null : apiAll("/officers"),
      apiAll("/duties", { start, end }),
      apiAll(`/rosters/${version}/shortfalls`),
      api(`/rosters/${version}/needs`, { query: { start, end } }),
    ]);
    keepNeeds(needs.slots);
    if (officers) state.officerSkills = Object.fromEntries(officers.map((o) => [o.id, o.skills]));
    state.roster = roster;
    if (roster.status !== "published") {
      state.published = {};
      for (const d of published) {
        (state.published[key(d.post, d.date, d.shift)] ||= []).push({ id: d.officer, name: d.officer_name });
      }
    }
    state.duties = duties;
    buildCells();
    const term = score.terms.find((x) => x.term === "shortfall");
    for (const c of term ? term.contributions : []) {
      const post = state.postById[c.post];
      if (!post || !c.date || !c.shift) continue;
      const k = key(c.post, c.date, c.shift);
      const on = (state.cells[k] || { officers: [] }).officers.map((o) => state.officerSkills[o.id] || []);
      const gaps = slotGaps(need(post, c.date, c.shift), on);
      const reasons = gaps.map((g) => ({ missing: g.missing, skill: g.skill, reason: null }));
      if (getLang() === "en" || !reasons.length) reasons.push({ missing: null, skill: null, reason: c.detail });
      state.shortfalls[k] = { reasons, draft: true };
    }
    // the solver's own reasons, stored with the version, replace the recount's where there are any
    const solverReasons = {};
    for (const s of stored) {
      const reason = shortfallReason(s);
      (solverReasons[key(s.post, s.date, s.shift)] ||= []).push({ missing: s.missing, skill: s.skill, reason });
    }
    for (const [k, reasons] of Object.entries(solverReasons)) state.shortfalls[k] = { reasons, draft: false };
  } else {
    const [duties, coverage] = await Promise.all([
      apiAll("/duties", { start, end }),
      api("/reports/coverage", { query: { start, end, needs: "true" } }),
    ]);
    state.duties = duties;
    keepNeeds(coverage.days.flatMap((day) => day.needs || []));
    state.planned = new Set(coverage.days.map((day) => `${day.unit}|${day.date}`));
    for (const day of coverage.days) {
      for (const s of day.shortfalls) {
        const reason = shortfallReason(s);
        const k = key(s.post, day.date, s.shift);
        const known = state.shortfalls[k] || { reasons: [] };
        known.reasons.push({ missing: s.missing, skill: s.skill, reason });
        state.shortfalls[k] = known;
      }
    }
  }
  buildCells();
  renderBanner();
  fillOfficerList();
}

/** What each slot needs, as the version shown (or published that day) was solved for: a declared
 * duty level or a dated coverage change makes it differ from the posts' normal coverage. */
function keepNeeds(slots) {
  for (const n of slots) {
    state.needs[key(n.post, n.date, n.shift)] = { min: n.min, max: n.max, skills: n.skills };
    (state.needShifts[n.post] ||= new Set()).add(n.shift);
  }
}

/** A slot's need: null where the shown roster has no such slot (a shift closed, a day outside the
 * version); on a day nothing is published for yet, the post's normal coverage. */
function need(post, day, shift) {
  if (state.planned && !state.planned.has(`${post.unit}|${day}`)) return slotNeed(post, day, shift);
  return state.needs[key(post.id, day, shift)] || null;
}

function buildCells() {
  const cells = {};
  const shifts = {};
  for (const d of state.duties) {
    (shifts[d.post] = shifts[d.post] || new Set()).add(d.shift);
    const k = key(d.post, d.date, d.shift);
    (cells[k] = cells[k] || { officers: [] }).officers.push({
      id: d.officer,
      name: d.officer_name,
      leader: Boolean(d.leader),
      position: d.position_name || null,
      group: d.group || null,
      groupName: d.group_name || null,
    });
  }
  state.cells = cells;
  state.dutyShifts = shifts;
}

function fillOfficerList() {
  const seen = new Map();
  const groups = new Map();
  for (const d of state.duties) {
    seen.set(d.officer, d.officer_name);
    if (d.group) groups.set(d.group, d.group_name || d.group);
  }
  const chosen = $("#group").value || params.get("group");
  $("#group").innerHTML =
    `<option value="">${esc(t("roster.allGroups"))}</option>` +
    Array.from(groups)
      .sort((a, b) => a[1].localeCompare(b[1], "zh-CN"))
      .map(([id, name]) => `<option value="${esc(id)}">${esc(name)}</option>`)
      .join("");
  $("#group").value = groups.has(chosen) ? chosen : "";
  $("#group-field").hidden = groups.size === 0;
  $("#officer-names").innerHTML = Array.from(seen)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([id, name]) => `<option value="${esc(name)}">${esc(id)}</option>`)
    .join("");
}

// --------------------------------------------------------------------------- the model of a cell

/** Everything the grid shows about one slot: who, how many needed, whether and why it is short. */
function slot(post, day, shift) {
  const officers = (state.cells[key(post.id, day, shift)] || { officers: [] }).officers;
  const needed = need(post, day, shift);
  if (state.planned && !state.planned.has(`${post.unit}|${day}`) && !officers.length) {
    // no roster is published for this unit and day yet: not planned, not short
    return { officers, needed, missing: 0, reasons: [], short: false, skillOnly: false, draft: false, changed: false, added: [], removed: [], unplanned: true };
  }
  const solver = state.shortfalls[key(post.id, day, shift)];
  const missing = needed ? Math.max(0, needed.min - officers.length) : 0;
  const reasons = solver ? solver.reasons : [];
  const short = missing > 0 || reasons.length > 0;
  const skillOnly = short && missing === 0;
  let added = [];
  let removed = [];
  if (state.published) {
    const before = state.published[key(post.id, day, shift)] || [];
    const now = new Set(officers.map((o) => o.id));
    const was = new Set(before.map((o) => o.id));
    added = officers.filter((o) => !was.has(o.id));
    removed = before.filter((o) => !now.has(o.id));
  }
  const changed = added.length > 0 || removed.length > 0;
  return { officers, needed, missing, reasons, short, skillOnly, draft: Boolean(solver && solver.draft), changed, added, removed };
}

/** An officer's name in a cell, with the duty leader's mark (带班) and, when asked, the position. */
function nameHtml(o, match, withPosition = false) {
  const lead = o.leader ? `<span class="lead" title="${esc(t("grid.leader"))}">${esc(t("grid.leaderMark"))}</span>` : "";
  const group = o.groupName ? `<small class="grp" title="${esc(`${t("grid.group")}${t("common.colon")}${o.groupName}`)}">${esc(o.groupName)}</small>` : "";
  const pos = withPosition && o.position ? ` <small class="pos">${esc(o.position)}</small>` : "";
  return `<span class="name${match && match(o) ? " hit" : ""}${o.leader ? " leader" : ""}">${esc(o.name)}${lead}${group}</span>${pos}`;
}

/** The unit whose day sheet the grid's day headers open: the one chosen, or the only one shown. */
function sheetUnit(posts) {
  if (!isStaff()) return "";
  const units = new Set(posts.map((p) => p.unit));
  return $("#unit").value || (units.size === 1 ? [...units][0] : "");
}

function officerMatcher() {
  const text = $("#officer").value.trim().toLowerCase();
  const group = $("#group").value;
  if (!text && !group) return null;
  return (o) =>
    (!group || o.group === group) && (!text || o.name.toLowerCase().includes(text) || o.id.toLowerCase() === text);
}

/** The officer's name in a cell, with their duty group's name after it. */
function visiblePosts() {
  const unit = $("#unit").value;
  const kind = $("#kind").value;
  const match = officerMatcher();
  const shortOnly = $("#short-only").checked;
  const unitOrder = Object.fromEntries(state.cat.units.map((u, i) => [u.id, i]));
  return state.posts
    .filter((p) => (!unit || p.unit === unit) && (!kind || p.kind === kind))
    .filter((p) => !state.ownUnit || p.unit === state.ownUnit)
    .filter((p) => !state.roster || state.roster.units.includes(p.unit))
    .filter((p) => !match || state.days.some((d) => columnsOf([p]).some((s) => slot(p, d, s).officers.some(match))))
    .filter((p) => !shortOnly || state.days.some((d) => columnsOf([p]).some((s) => slot(p, d, s).short)))
    .sort(
      (a, b) =>
        unitOrder[a.unit] - unitOrder[b.unit] ||
        POST_KINDS.indexOf(a.kind) - POST_KINDS.indexOf(b.kind) ||
        b.priority - a.priority ||
        a.name.localeCompare(b.name, "zh-CN"),
    );
}

/** The shifts any of the posts is staffed in (or has a duty in), in roster order. */
function columnsOf(posts) {
  const used = new Set();
  for (const p of posts) for (const id of state.dutyShifts[p.id] || []) used.add(id);
  for (const p of posts) for (const id of state.needShifts[p.id] || []) used.add(id);
  for (const p of posts) for (const c of p.coverage) used.add(c.shift);
  return state.cat.shifts.filter((s) => used.has(s.id)).map((s) => s.id);
}

function shortText(s) {
  if (s.missing > 0) return t("grid.missing", { n: s.missing });
  const skill = s.reasons.find((r) => r.skill);
  return skill ? t("grid.missingSkill", { skill: state.skills[skill.skill] || skill.skill }) : t("grid.short");
}

function diffText(s) {
  const parts = [...s.added.map((o) => `+${o.name}`), ...s.removed.map((o) => `−${o.name}`)];
  return `${t("grid.changed")}${t("common.colon")}${parts.join(" ")}`;
}

function tooltip(post, day, shift, s) {
  const lines = [`${post.name} · ${fmtDay(day)} ${state.cat.shiftById[shift].name}`];
  if (s.unplanned) lines.push(t("grid.unplanned"));
  if (s.needed) lines.push(t("grid.needs", { min: s.needed.min, max: s.needed.max }));
  else lines.push(t("grid.notStaffed"));
  const label = (o) =>
    `${o.name}${o.groupName ? `〔${o.groupName}〕` : ""}${o.leader ? `（${t("grid.leader")}）` : ""}${o.position ? ` ${o.position}` : ""}`;
  lines.push(s.officers.map(label).join("、") || t("grid.nobody"));
  if (s.short) {
    lines.push(`⚠ ${shortText(s)}`);
    for (const r of s.reasons) if (r.reason) lines.push(r.reason);
  }
  if (s.changed) lines.push(diffText(s));
  return lines.join("\n");
}

// --------------------------------------------------------------------------- rendering

function renderTable(posts) {
  const table = $("#grid");
  if (!posts.length) {
    table.innerHTML = "";
    return;
  }
  const shifts = columnsOf(posts);
  const match = officerMatcher();
  const compact = $("#compact").checked;
  let head1 = `<tr><th class="corner" rowspan="2">${esc(t("grid.post"))}</th>`;
  let head2 = "<tr>";
  const unit = sheetUnit(posts);
  for (const day of state.days) {
    const weekend = weekday(day) >= 5;
    const sheet = unit ? ` ${daySheetButton(unit, day, state.roster && state.roster.id)}` : "";
    head1 += `<th colspan="${shifts.length}" class="day${weekend ? " weekend" : ""}">${esc(fmtDay(day))}${sheet}</th>`;
    shifts.forEach((id, i) => {
      const s = state.cat.shiftById[id];
      const time = compact ? "" : `<small>${esc(s.start)}</small>`;
      head2 += `<th class="shift${i === 0 ? " first" : ""}" title="${esc(`${s.name} ${s.start} · ${s.minutes / 60} h`)}">${esc(s.name)}${time}</th>`;
    });
  }
  head1 += "</tr>";
  head2 += "</tr>";
  const width = 1 + shifts.length * state.days.length;
  const rows = [];
  let group = "";
  for (const post of posts) {
    const g = `${post.unit}|${post.kind}`;
    if (g !== group) {
      group = g;
      const count = posts.filter((p) => `${p.unit}|${p.kind}` === g).length;
      rows.push(
        `<tr class="group"><th colspan="${width}"><span class="sticky-label">${esc(state.cat.unitName[post.unit] || post.unit)} · ${esc(kindName(post.kind))} <span class="count">${count}</span></span></th></tr>`,
      );
    }
    let row = `<tr><th class="post" scope="row" title="${esc(`${post.name} (${post.id})`)}">${esc(post.name)}</th>`;
    for (const day of state.days) {
      shifts.forEach((shift, i) => {
        const s = slot(post, day, shift);
        const classes = ["cell"];
        if (i === 0) classes.push("first");
        if (!s.needed && !s.officers.length) classes.push("off");
        if (s.unplanned && s.needed) classes.push("unplanned");
        if (s.short) classes.push(s.skillOnly ? "skill-short" : "short");
        if (s.changed) classes.push("changed");
        const names = s.officers.map((o) => nameHtml(o, match)).join("");
        const badge = s.short ? `<span class="badge">${esc(shortText(s))}</span>` : "";
        const attrs = s.needed || s.officers.length ? ` tabindex="0" data-key="${esc(key(post.id, day, shift))}"` : "";
        row += `<td class="${classes.join(" ")}"${attrs} title="${esc(tooltip(post, day, shift, s))}">${names}${badge}</td>`;
      });
    }
    rows.push(`${row}</tr>`);
  }
  table.innerHTML = `<thead>${head1}${head2}</thead><tbody>${rows.join("")}</tbody>`;
}

function renderDayList(posts) {
  const box = $("#daylist");
  if (!state.days.includes(state.day)) state.day = state.days[0];
  const match = officerMatcher();
  const tabs = state.days
    .map(
      (d) =>
        `<button type="button" class="tab" data-day="${d}" aria-pressed="${d === state.day}">${esc(fmtDay(d))}</button>`,
    )
    .join("");
  const cards = posts
    .map((post) => {
      const lines = columnsOf([post])
        .map((shift) => {
          const s = slot(post, state.day, shift);
          if (!s.needed && !s.officers.length) return "";
          const sh = state.cat.shiftById[shift];
          const names = s.officers.map((o) => nameHtml(o, match, true)).join("");
          const warn = s.short
            ? `<div class="reason"><span class="badge">${esc(shortText(s))}</span> ${esc(s.reasons.map((r) => r.reason).filter(Boolean).join(" "))}</div>`
            : "";
          return `<li class="${s.short ? "short" : ""}" data-key="${esc(key(post.id, state.day, shift))}"><span class="shift-name">${esc(sh.name)} <small>${esc(sh.start)}</small></span><span class="names">${names || `<em>${esc(t("grid.nobody"))}</em>`}</span>${warn}</li>`;
        })
        .join("");
      return lines
        ? `<article class="post-card"><h3>${esc(post.name)} <small>${esc(state.cat.unitName[post.unit] || "")} · ${esc(kindName(post.kind))}</small></h3><ul>${lines}</ul></article>`
        : "";
    })
    .join("");
  const unit = sheetUnit(posts);
  const sheet = unit ? `<p class="day-sheet-row">${daySheetButton(unit, state.day, state.roster && state.roster.id)}</p>` : "";
  box.innerHTML = `<div class="tabs" role="group">${tabs}</div>${sheet}${cards || `<p class="muted">${esc(t("grid.empty"))}</p>`}`;
}

/** Short slots with their reasons, listed under the grid (and on paper, where nothing hovers). */
function renderShortList(shortSlots) {
  const box = $("#short-list");
  if (!shortSlots.length) {
    box.hidden = true;
    return;
  }
  const items = shortSlots
    .map(({ post, day, shift, s }) => {
      const why = s.reasons.map((r) => r.reason).filter(Boolean).join(" ");
      return `<li data-key="${esc(key(post.id, day, shift))}"><strong>${esc(post.name)}</strong> · ${esc(fmtDay(day))} ${esc(state.cat.shiftById[shift].name)} — <span class="warn">${esc(shortText(s))}</span>${why ? ` <span class="muted">${esc(why)}</span>` : ""}</li>`;
    })
    .join("");
  box.innerHTML = `<summary>${esc(t("grid.shortList", { n: shortSlots.length }))}</summary><ul class="short-list">${items}</ul>`;
  if (!box.dataset.shown) box.open = shortSlots.length <= 10; // open at first when the list is short
  box.dataset.shown = "true";
  box.hidden = false;
}

function renderSummary(posts) {
  const ids = new Set(posts.map((p) => p.id));
  const duties = state.duties.filter((d) => ids.has(d.post)).length;
  const shortSlots = [];
  let changed = 0;
  const unplanned = new Set();
  for (const p of posts) {
    for (const d of state.days) {
      for (const id of columnsOf([p])) {
        const s = slot(p, d, id);
        if (s.unplanned && s.needed) unplanned.add(`${p.unit}|${d}`);
        if (s.short) shortSlots.push({ post: p, day: d, shift: id, s });
        if (s.changed) changed += 1;
      }
    }
  }
  const parts = [
    esc(t("grid.summary", { posts: posts.length, duties })),
    shortSlots.length
      ? `<span class="warn">${esc(t("grid.summaryShort", { n: shortSlots.length }))}</span><span class="screen-only"> ${esc(t("grid.hint"))}</span>`
      : unplanned.size
        ? ""
        : esc(t("grid.allStaffed")),
  ].filter(Boolean);
  if (unplanned.size) parts.push(`<span class="unplanned-note">${esc(t("grid.summaryUnplanned", { n: unplanned.size }))}</span>`);
  if (state.published) parts.push(`<span class="changed-note">${esc(t("grid.summaryChanged", { n: changed }))}</span>`);
  const legendChanged = state.published ? ` <i class="sw changed"></i>${esc(t("grid.legend.changed"))}` : "";
  const legend = `<span class="legend"><i class="sw short"></i>${esc(t("grid.legend.short"))} <i class="sw skill-short"></i>${esc(t("grid.legend.skill"))} <i class="sw off"></i>${esc(t("grid.legend.off"))}${unplanned.size ? ` <i class="sw unplanned"></i>${esc(t("grid.legend.unplanned"))}` : ""}${legendChanged}</span>`;
  $("#summary").innerHTML = `${parts.join(" · ")} ${legend}`;
  renderShortList(shortSlots);
  const noData = !state.duties.length;
  if (noData) {
    $("#summary").innerHTML += `<p class="notice">${esc(state.roster ? t("grid.noDutiesVersion") : t("grid.noDuties"))}</p>`;
  }
}

function render() {
  const posts = visiblePosts();
  document.body.classList.toggle("compact", $("#compact").checked);
  $("#week-label").textContent = `${state.days[0]} – ${state.days[6]}`;
  renderSummary(posts);
  if (narrow.matches) {
    $("#grid").innerHTML = "";
    renderDayList(posts);
  } else {
    $("#daylist").innerHTML = "";
    renderTable(posts);
  }
}

function renderBanner() {
  const banner = $("#version-banner");
  const r = state.roster;
  if (!r) {
    banner.hidden = true;
    return;
  }
  const units = r.units.map((u) => state.cat.unitName[u] || u).join("、");
  const publish =
    r.status === "draft" ? ` <button type="button" id="publish" class="primary small">${esc(t("roster.publish"))}</button>` : "";
  banner.innerHTML = `${esc(t("roster.viewing", { id: r.id, status: t(`status.${r.status}`) }))} · ${esc(r.start)} +${r.days}${esc(t("common.days"))} · ${esc(units)} · ${esc(t("roster.shortCount", { n: r.shortfalls }))}${publish}`;
  banner.className = `banner ${r.status}`;
  banner.hidden = false;
  const button = $("#publish");
  if (button) {
    button.addEventListener("click", async () => {
      if (!confirm(t("roster.publishConfirm", { id: r.id }))) return;
      button.disabled = true;
      try {
        await api(`/rosters/${r.id}/publish`, { method: "POST" });
        flash(t("roster.publishedOk", { id: r.id }), "ok");
        await loadVersions();
        await refresh();
      } catch (error) {
        button.disabled = false;
        showError(error);
      }
    });
  }
}

// --------------------------------------------------------------------------- details on tap

function showCell(k) {
  const [postId, day, shift] = k.split("|");
  const post = state.postById[postId];
  const s = slot(post, day, shift);
  const sh = state.cat.shiftById[shift];
  $("#cell-title").textContent = `${post.name} · ${fmtDay(day)} ${sh.name}`;
  const needs = s.needed
    ? t("grid.needs", { min: s.needed.min, max: s.needed.max }) +
      Object.entries(s.needed.skills)
        .map(([skill, n]) => ` · ${t("grid.needsSkill", { n, skill: state.skills[skill] || skill })}`)
        .join("")
    : t("grid.notStaffed");
  const officers = s.officers.length
    ? `<ul class="plain">${s.officers.map((o) => `<li>${nameHtml(o, null, true)} <small class="muted">${esc(o.id)}${o.groupName ? ` · ${esc(o.groupName)}` : ""}</small></li>`).join("")}</ul>`
    : `<p><em>${esc(t("grid.nobody"))}</em></p>`;
  const reasons = s.short
    ? `<div class="reason-box"><strong>⚠ ${esc(shortText(s))}</strong>${s.reasons.map((r) => (r.reason ? `<p>${esc(r.reason)}</p>` : "")).join("")}${s.draft ? `<p class="muted small">${esc(t("gen.noSolverReason"))}</p>` : ""}</div>`
    : "";
  const diff = s.changed ? `<p class="changed-note">${esc(diffText(s))}</p>` : "";
  const sheet = isStaff() ? `<p>${daySheetButton(post.unit, day, state.roster && state.roster.id, t("sheet.dayOf", { unit: state.cat.unitName[post.unit] || post.unit }))}</p>` : "";
  const fill = canFill(post, day, shift, s)
    ? `<div id="fill-box" class="fill-box"><button type="button" id="fill-open" class="primary">${esc(t("fill.open"))}</button></div>`
    : "";
  $("#cell-body").innerHTML = `${diff}<p class="muted">${esc(state.cat.unitName[post.unit] || "")} · ${esc(kindName(post.kind))} · ${esc(sh.start)} +${sh.minutes / 60} h</p><p>${esc(needs)}</p>${officers}${reasons}${fill}${sheet}`;
  if (fill) $("#fill-open").addEventListener("click", () => openFill({ post: postId, shift, date: day }));
  openDialog($("#cell-dialog"));
}

// --------------------------------------------------------------------------- filling a short slot

/** The duty office fills a short seat of the published roster, in the future, in its own units. */
function canFill(post, day, shift, s) {
  if (!isStaff() || state.roster || !s.needed || s.missing <= 0) return false;
  if (state.user.role === "dispatcher" && !state.user.units.includes(post.unit)) return false;
  const start = `${day}T${state.cat.shiftById[shift].start}`;
  return start > nowLocal(state.cat.settings.timezone);
}

async function openFill(slotRef) {
  const box = $("#fill-box");
  box.innerHTML = `<p class="muted">${esc(t("common.loading"))}</p>`;
  let cover;
  try {
    cover = await api("/cover", { query: slotRef });
  } catch (error) {
    box.innerHTML = `<p class="warn">${esc(errorText(error))}</p>`;
    return;
  }
  const names = namer({ officers: {}, posts: state.postById, shifts: state.cat.shiftById });
  box.innerHTML = `<h3>${esc(t("fill.title"))}</h3><p class="muted small">${esc(t("fill.hint"))}</p><ul id="fill-list" class="plain candidates pick-list">${coverRows(cover.candidates, names, state.cat)}</ul><label><span>${esc(t("form.reason"))}</span> <input type="text" id="fill-reason" maxlength="2000"></label><p id="fill-error" class="error-text" role="alert" hidden></p><div class="actions"><button type="button" id="fill-submit" class="primary">${esc(t("fill.submit"))}</button></div>`;
  $("#fill-submit").addEventListener("click", () => submitFill(slotRef, cover.roster_id));
}

async function submitFill(slotRef, rosterId) {
  const error = $("#fill-error");
  const chosen = $("#fill-list input[name=to]:checked");
  if (!chosen) {
    error.textContent = t("cover.pickOne");
    error.hidden = false;
    return;
  }
  const button = $("#fill-submit");
  button.disabled = true;
  error.hidden = true;
  const reason = $("#fill-reason").value.trim() || t("fill.defaultReason");
  try {
    const change = await api("/changes", {
      method: "POST",
      body: { kind: "cover", duty: slotRef, to_officer: chosen.value, reason },
    });
    if (change.check && !change.check.ok) {
      const rules = [...new Set(change.check.violations.map((v) => ruleName(v.rule)))].join("、");
      error.textContent = t("fill.breaks", { id: change.id, rules });
      error.hidden = false;
      button.disabled = false;
      return;
    }
    await api(`/changes/${change.id}/approve`, { method: "POST", body: { reason, expected_roster_id: rosterId } });
    $("#cell-dialog").close();
    flash(t("fill.done", { id: change.id, who: chosen.getAttribute("aria-label") }), "ok");
    await refresh();
  } catch (err) {
    error.textContent = errorText(err);
    error.hidden = false;
    button.disabled = false;
  }
}

// --------------------------------------------------------------------------- wiring

function saveFilters() {
  params.set({
    start: $("#start").value,
    roster: $("#version").value,
    unit: $("#unit").value,
    kind: $("#kind").value,
    officer: $("#officer").value.trim(),
    group: $("#group").value,
    short: $("#short-only").checked,
  });
}

async function refresh() {
  saveFilters();
  $("#summary").textContent = t("common.loading");
  try {
    await loadWeek();
  } catch (error) {
    showError(error);
    state.duties = [];
    buildCells();
  }
  render();
}

startPage(async (user) => {
  state.user = user;
  const [cat, posts, skills] = await Promise.all([loadCatalogue(), apiAll("/posts"), apiAll("/skills")]);
  state.cat = cat;
  state.posts = posts;
  state.postById = Object.fromEntries(posts.map((p) => [p.id, p]));
  state.skills = Object.fromEntries(skills.map((s) => [s.id, s.name]));
  if (user.role === "officer" && user.officer_id) {
    state.ownUnit = (await api(`/officers/${encodeURIComponent(user.officer_id)}`)).unit;
    $("#unit-field").hidden = true;
  }
  const units = isStaff() && user.role === "dispatcher" && user.units.length ? user.units : null;
  $("#unit").innerHTML =
    `<option value="">${esc(t("roster.allUnits"))}</option>` +
    cat.units.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join("");
  $("#kind").innerHTML =
    `<option value="">${esc(t("roster.allKinds"))}</option>` +
    POST_KINDS.filter((k) => posts.some((p) => p.kind === k))
      .map((k) => `<option value="${k}">${esc(kindName(k))}</option>`)
      .join("");
  await loadVersions();

  const horizon = cat.settings.horizon;
  const today = nowLocal(cat.settings.timezone).slice(0, 10);
  const chosen = state.versions.find((r) => String(r.id) === $("#version").value);
  $("#start").value = params.get("start") || (chosen ? chosen.start : horizon ? horizon.start : mondayOf(today));
  $("#unit").value = params.get("unit") || (units && units.length === 1 ? units[0] : "");
  $("#kind").value = params.get("kind");
  $("#officer").value = params.get("officer");
  $("#short-only").checked = params.get("short") === "1";
  const savedCompact = localStorage.getItem("roster.compact");
  state.day = today;

  $("#prev-week").addEventListener("click", () => {
    $("#start").value = addDays($("#start").value, -7);
    refresh();
  });
  $("#next-week").addEventListener("click", () => {
    $("#start").value = addDays($("#start").value, 7);
    refresh();
  });
  $("#start").addEventListener("change", () => $("#start").value && refresh());
  $("#version").addEventListener("change", () => {
    const chosen = state.versions.find((r) => String(r.id) === $("#version").value);
    if (chosen) $("#start").value = chosen.start;
    refresh();
  });
  for (const id of ["#unit", "#kind", "#short-only", "#group"]) {
    $(id).addEventListener("change", () => {
      saveFilters();
      render();
    });
  }
  $("#officer").addEventListener("input", () => {
    saveFilters();
    render();
  });
  $("#compact").addEventListener("change", () => {
    localStorage.setItem("roster.compact", $("#compact").checked ? "1" : "0");
    render();
  });
  $("#print").addEventListener("click", () => window.print());
  window.addEventListener("beforeprint", () => {
    $("#short-list").open = true;
    if (narrow.matches) renderTable(visiblePosts());
  });
  window.addEventListener("afterprint", render);
  narrow.addEventListener("change", render);

  const open = (event) => {
    const cell = event.target.closest("[data-key]");
    if (cell) showCell(cell.dataset.key);
  };
  wireDaySheets($("#grid"));
  wireDaySheets($("#daylist"));
  wireDaySheets($("#cell-body"));
  $("#grid").addEventListener("click", open);
  $("#short-list").addEventListener("click", open);
  $("#grid").addEventListener("keydown", (event) => event.key === "Enter" && open(event));
  $("#daylist").addEventListener("click", (event) => {
    const tab = event.target.closest("[data-day]");
    if (tab) {
      state.day = tab.dataset.day;
      render();
      return;
    }
    open(event);
  });
  const unit = $("#unit").value;
  const many = posts.filter((p) => (!unit || p.unit === unit) && (!state.ownUnit || p.unit === state.ownUnit)).length > 40;
  $("#compact").checked = savedCompact === null ? many : savedCompact === "1";
  await refresh();
});

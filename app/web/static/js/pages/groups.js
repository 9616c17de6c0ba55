// Duty groups (执勤组) and their rotation patterns: list a unit's groups, create or edit one
// (name, members, pattern and its start date; a 四班三运转 template), and preview the next four
// weeks: which group works which shift on which date, with the server's warnings where the
// patterns cannot cover the unit's posts.
import { $, addDays, api, apiAll, esc, flash, fmtDay, loadCatalogue, mondayOf, nowLocal, params, showError, startPage, t, weekday } from "../app.js";

const OFF = new Set(["-", "休", "off", "null", "x"]);
const state = { user: null, cat: null, groups: [], officers: [], editing: null, picked: [] };

// --------------------------------------------------------------------------- patterns as text

function patternText(days) {
  return days.map((s) => (s === null ? "-" : s)).join(" ");
}

function parseDays(text) {
  return text
    .split(/[\s,，、]+/)
    .filter(Boolean)
    .map((token) => (OFF.has(token.toLowerCase()) ? null : token));
}

function shiftLabel(id) {
  if (id === null) return t("groups.off");
  const s = state.cat.shiftById[id];
  return s ? s.name : id;
}

/** 四班三运转: the three 8-hour shifts by start time, two of each, then two days off. */
function fourShiftDays() {
  const eight = state.cat.shifts.filter((s) => s.minutes === 480).sort((a, b) => a.start.localeCompare(b.start));
  if (eight.length < 3) return null;
  const [a, b, c] = eight;
  return [a.id, a.id, b.id, b.id, c.id, c.id, null, null];
}

// --------------------------------------------------------------------------- loading

function unit() {
  return $("#unit").value;
}

async function load() {
  params.set({ unit: unit(), start: $("#start").value });
  const [groups, officers] = await Promise.all([
    api("/groups", { query: { unit: unit() } }),
    apiAll("/officers", { serves: unit() }),
  ]);
  state.groups = groups;
  state.officers = officers;
  renderList();
  renderMembers();
  await loadPreview();
}

async function loadPreview() {
  const box = $("#warnings");
  const start = $("#start").value;
  if (!start) return;
  box.textContent = t("common.loading");
  try {
    const view = await api("/groups/preview", { query: { unit: unit(), start } });
    renderPreview(view);
  } catch (error) {
    box.textContent = "";
    showError(error);
  }
}

// --------------------------------------------------------------------------- the list

function renderList() {
  const box = $("#group-list");
  if (!state.groups.length) {
    box.innerHTML = `<p class="muted">${esc(t("groups.none"))}</p>`;
    return;
  }
  box.innerHTML = `<table class="plain groups"><thead><tr><th>${esc(t("groups.name"))}</th><th>${esc(t("groups.members"))}</th><th>${esc(t("groups.pattern"))}</th><th></th></tr></thead><tbody>${state.groups
    .map((g) => {
      const pattern = g.pattern
        ? `${esc(g.pattern.days.map(shiftLabel).join(" "))} <small class="muted">${esc(t("groups.from", { start: g.pattern.start }))}</small>`
        : `<span class="muted">${esc(t("groups.noPattern"))}</span>`;
      const names = g.members.map((m) => esc(m.name)).join("、") || `<span class="muted">${esc(t("common.none"))}</span>`;
      return `<tr data-group="${esc(g.id)}"><td><strong>${esc(g.name)}</strong> <small class="muted">${esc(g.id)}</small></td><td>${names} <small class="muted">(${g.members.length})</small></td><td class="pattern">${pattern}</td><td class="actions"><button type="button" class="ghost small" data-edit="${esc(g.id)}">${esc(t("groups.edit"))}</button> <button type="button" class="ghost small danger" data-delete="${esc(g.id)}">${esc(t("groups.delete"))}</button></td></tr>`;
    })
    .join("")}</tbody></table>`;
}

function renderMembers() {
  const chosen = new Set(state.picked);
  const elsewhere = {};
  for (const g of state.groups) {
    if (state.editing && g.id === state.editing.id) continue;
    for (const m of g.members) elsewhere[m.id] = g.name;
  }
  const text = $("#g-filter").value.trim().toLowerCase();
  $("#g-members").innerHTML = state.officers
    .filter((o) => !text || o.name.toLowerCase().includes(text) || o.id.toLowerCase().includes(text) || chosen.has(o.id))
    .map((o) => {
      const other = elsewhere[o.id];
      const note = other ? ` <small class="muted">${esc(t("groups.inGroup", { group: other }))}</small>` : "";
      return `<label class="check${other ? " taken" : ""}"><input type="checkbox" value="${esc(o.id)}"${chosen.has(o.id) ? " checked" : ""}${other ? " disabled" : ""}> ${esc(o.name)} <small class="muted">${esc(o.id)}</small>${note}</label>`;
    })
    .join("");
}

// --------------------------------------------------------------------------- the form

function resetForm() {
  state.editing = null;
  state.picked = [];
  $("#group-form").reset();
  $("#g-id").disabled = false;
  $("#form-title").textContent = t("groups.new");
  $("#cancel-edit").hidden = true;
  renderMembers();
}

function editGroup(id) {
  const g = state.groups.find((x) => x.id === id);
  if (!g) return;
  state.editing = g;
  state.picked = g.members.map((m) => m.id);
  $("#g-id").value = g.id;
  $("#g-id").disabled = true;
  $("#g-name").value = g.name;
  $("#g-start").value = g.pattern ? g.pattern.start : "";
  $("#g-days").value = g.pattern ? patternText(g.pattern.days) : "";
  $("#form-title").textContent = t("groups.editing", { name: g.name });
  $("#cancel-edit").hidden = false;
  $("#g-filter").value = "";
  renderMembers();
  $("#g-name").focus();
}

function pick(event) {
  const box = event.target.closest("input[type=checkbox]");
  if (!box) return;
  state.picked = state.picked.filter((id) => id !== box.value);
  if (box.checked) state.picked.push(box.value);
}

function formPattern() {
  const days = parseDays($("#g-days").value);
  if (!days.length) return null;
  return { start: $("#g-start").value || $("#start").value, days };
}

async function saveGroup(event) {
  event.preventDefault();
  const button = $("#save-group");
  button.disabled = true;
  try {
    const name = $("#g-name").value.trim();
    const pattern = formPattern();
    const members = [...state.picked];
    if (state.editing) {
      const g = state.editing;
      await api(`/groups/${encodeURIComponent(g.id)}`, { method: "PATCH", body: { name, pattern } });
      const before = g.members.map((m) => m.id);
      for (const id of before.filter((x) => !members.includes(x))) {
        await api(`/groups/${encodeURIComponent(g.id)}/members/${encodeURIComponent(id)}`, { method: "DELETE" });
      }
      const added = members.filter((x) => !before.includes(x));
      if (added.length) await api(`/groups/${encodeURIComponent(g.id)}/members`, { method: "POST", body: { officers: added } });
      flash(t("groups.saved", { name }), "ok");
    } else {
      const body = { id: $("#g-id").value.trim(), name, unit: unit(), members, pattern };
      await api("/groups", { method: "POST", body });
      flash(t("groups.created", { name }), "ok");
    }
    resetForm();
    await load();
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

async function deleteGroup(id) {
  const g = state.groups.find((x) => x.id === id);
  if (!g || !confirm(t("groups.deleteConfirm", { name: g.name }))) return;
  try {
    await api(`/groups/${encodeURIComponent(id)}`, { method: "DELETE" });
    flash(t("groups.deleted", { name: g.name }), "ok");
    if (state.editing && state.editing.id === id) resetForm();
    await load();
  } catch (error) {
    showError(error);
  }
}

/** Fill the pattern with 四班三运转, starting two days after the unit's previous such group. */
function fourShift() {
  const days = fourShiftDays();
  if (!days) {
    flash(t("groups.fourShiftMissing"));
    return;
  }
  const text = patternText(days);
  const others = state.groups.filter((g) => g.pattern && patternText(g.pattern.days) === text && (!state.editing || g.id !== state.editing.id));
  const k = others.length % 4;
  $("#g-days").value = text;
  $("#g-start").value = addDays($("#start").value, -2 * k);
  $("#g-hint").textContent = t("groups.fourShiftHint", { k: k + 1 });
}

// --------------------------------------------------------------------------- the preview

const WARNING_KEYS = { uncovered: "groups.warn.uncovered", too_many: "groups.warn.tooMany", short: "groups.warn.short" };

function renderPreview(view) {
  const names = Object.fromEntries(view.groups.map((g) => [g.id, g.name]));
  const warned = {};
  for (const w of view.warnings) warned[`${w.date}|${w.shift}`] = w.kind;
  const box = $("#warnings");
  if (!view.groups.some((g) => g.pattern)) {
    box.innerHTML = `<p class="muted">${esc(t("groups.noPatterns"))}</p>`;
  } else if (!view.warnings.length) {
    box.innerHTML = `<p class="ok-note">${esc(t("groups.allCovered"))}</p>`;
  } else {
    const counts = {};
    for (const w of view.warnings) counts[w.kind] = (counts[w.kind] || 0) + 1;
    const head = Object.entries(counts)
      .map(([kind, n]) => t(`${WARNING_KEYS[kind]}.count`, { n }))
      .join(t("common.sep"));
    const items = view.warnings
      .slice(0, 50)
      .map((w) => `<li data-kind="${esc(w.kind)}">${esc(fmtDay(w.date))} ${esc(shiftLabel(w.shift))}${esc(t("common.colon"))}${esc(t(WARNING_KEYS[w.kind], { officers: w.officers, min: w.min, max: w.max, posts: w.posts.length }))}</li>`)
      .join("");
    const more = view.warnings.length > 50 ? `<li class="muted">${esc(t("groups.warn.more", { n: view.warnings.length - 50 }))}</li>` : "";
    box.innerHTML = `<details class="card warn-box" open><summary class="warn">⚠ ${esc(head)}</summary><ul class="short-list">${items}${more}</ul></details>`;
  }
  const used = new Set(view.cells.map((c) => c.shift));
  const shifts = view.shifts.filter((s) => used.has(s.id));
  const byCell = Object.fromEntries(view.cells.map((c) => [`${c.date}|${c.shift}`, c]));
  const head = `<tr><th class="corner">${esc(t("groups.shift"))}</th>${view.dates
    .map((d) => `<th class="day${weekday(d) >= 5 ? " weekend" : ""}">${esc(fmtDay(d))}</th>`)
    .join("")}</tr>`;
  const rows = shifts.map((s) => {
    const cells = view.dates
      .map((d) => {
        const c = byCell[`${d}|${s.id}`];
        const kind = warned[`${d}|${s.id}`];
        const classes = ["cell", kind ? (kind === "too_many" ? "skill-short" : "short") : ""].filter(Boolean).join(" ");
        if (!c) return `<td class="cell off"></td>`;
        const groups = c.groups.map((id) => `<span class="name grp-name">${esc(names[id] || id)}</span>`).join("");
        const title = `${fmtDay(d)} ${s.name}: ${t("groups.cellTitle", { officers: c.officers, min: c.min, max: c.max })}`;
        return `<td class="${classes}" data-key="${esc(`${d}|${s.id}`)}" title="${esc(title)}">${groups}<small class="muted">${c.officers}/${c.min}</small></td>`;
      })
      .join("");
    return `<tr><th class="post" scope="row">${esc(s.name)} <small>${esc(s.start)}</small></th>${cells}</tr>`;
  });
  const groupRows = view.groups
    .filter((g) => g.pattern)
    .map(
      (g) =>
        `<tr class="pattern-row" data-group="${esc(g.id)}"><th class="post" scope="row">${esc(g.name)}</th>${g.days
          .map((s, i) => {
            const away = Object.values(g.away).filter((dates) => dates.includes(view.dates[i])).length;
            return `<td class="cell${s === null ? " off" : ""}">${esc(s === null ? t("groups.off") : shiftLabel(s))}${away ? ` <small class="warn">−${away}</small>` : ""}</td>`;
          })
          .join("")}</tr>`,
    );
  const groupHead = groupRows.length
    ? `<tr class="group"><th colspan="${view.dates.length + 1}"><span class="sticky-label">${esc(t("groups.byGroup"))}</span></th></tr>`
    : "";
  $("#preview").innerHTML = `<thead>${head}</thead><tbody>${rows.join("")}${groupHead}${groupRows.join("")}</tbody>`;
}

// --------------------------------------------------------------------------- wiring

startPage(async (user) => {
  state.user = user;
  state.cat = await loadCatalogue();
  const allowed = user.role === "admin" ? state.cat.units.map((u) => u.id) : user.units;
  $("#unit").innerHTML = state.cat.units
    .filter((u) => allowed.includes(u.id))
    .map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`)
    .join("");
  if (params.get("unit") && allowed.includes(params.get("unit"))) $("#unit").value = params.get("unit");
  const horizon = state.cat.settings.horizon;
  const today = nowLocal(state.cat.settings.timezone).slice(0, 10);
  $("#start").value = params.get("start") || (horizon ? horizon.start : mondayOf(today));
  $("#g-hint").textContent = t("groups.patternHint");

  $("#unit").addEventListener("change", () => {
    resetForm();
    load().catch(showError);
  });
  $("#start").addEventListener("change", () => $("#start").value && load().catch(showError));
  $("#group-form").addEventListener("submit", saveGroup);
  $("#cancel-edit").addEventListener("click", resetForm);
  $("#four-shift").addEventListener("click", fourShift);
  $("#g-filter").addEventListener("input", renderMembers);
  $("#g-members").addEventListener("change", pick);
  $("#group-list").addEventListener("click", (event) => {
    const edit = event.target.closest("[data-edit]");
    if (edit) editGroup(edit.dataset.edit);
    const del = event.target.closest("[data-delete]");
    if (del) deleteGroup(del.dataset.delete);
  });
  await load();
});

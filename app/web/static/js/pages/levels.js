// Duty levels (dispatchers for their units, admins for the whole detachment): declare 三级/二级/一级
// for units and a period, see the impact first (slots added and removed, leave and requests the
// level cancels, the re-planned published roster as a diff), then approve it; the declarations
// with their status; the levels' settings and the owed-rest rule.
import { $, addDays, api, apiAll, esc, flash, fmtDay, fmtUtc, loadCatalogue, mondayOf, nowLocal, showError, startPage, t } from "../app.js";
import { OPEN, checkHtml, namer, proposalHtml, statusBadge } from "../changes.js";

const DECLARABLE = ["level3", "level2", "level1"];
const state = { user: null, cat: null, names: null, current: null, timer: null, today: "" };

const unitNames = (ids) => (ids && ids.length ? ids.map((u) => state.cat.unitName[u] || u).join(t("common.sep")) : t("change.wholeDetachment"));
const lastDay = (end) => addDays(end, -1);
const isOwn = (change) => change.requested_by.username === state.user.username;

// --------------------------------------------------------------------------- the form

function renderUnits() {
  const units = state.user.role === "admin" ? state.cat.units : state.cat.units.filter((u) => state.user.units.includes(u.id));
  $("#whole-row").hidden = state.user.role !== "admin";
  $("#level-units").innerHTML = units
    .map((u) => `<label class="check"><input type="checkbox" name="unit" value="${esc(u.id)}"${units.length === 1 ? " checked" : ""}> ${esc(u.name)}</label>`)
    .join("");
  $("#whole").addEventListener("change", () => {
    for (const box of document.querySelectorAll("#level-units input")) box.disabled = $("#whole").checked;
  });
}

function renderLevelChoice() {
  $("#level").innerHTML =
    `<option value="normal" disabled>${esc(t("levels.normalAuto"))}</option>` +
    DECLARABLE.map((l) => `<option value="${l}"${l === "level1" ? " selected" : ""}>${esc(t(`level.${l}`))}</option>`).join("");
  const start = addDays(state.today, 1);
  $("#level-start").value = start;
  $("#level-end").value = addDays(mondayOf(start), 7);
}

async function renderLevels() {
  const [levels, rule] = await Promise.all([api("/duty-levels"), api("/owed-rest/rule")]);
  const list = (xs, name) => (xs.length ? xs.map(name).join(t("common.sep")) : t("levels.nothing"));
  $("#level-table").innerHTML =
    `<thead><tr><th>${esc(t("levels.col.level"))}</th><th>${esc(t("levels.col.leave"))}</th><th>${esc(t("levels.col.requests"))}</th></tr></thead><tbody>` +
    levels
      .map(
        (l) =>
          `<tr data-level="${esc(l.id)}"><th>${esc(l.name)}</th><td>${esc(list(l.cancels_leave, (x) => x))}</td><td>${esc(list(l.cancels_requests, (k) => t(`levels.request.${k}`)))}</td></tr>`,
      )
      .join("") +
    "</tbody>";
  $("#owed-rule").textContent = t("levels.owedRule", {
    normal: Math.round(rule.normal_minutes_per_week / 6) / 10,
    per: Math.round(rule.minutes_per_owed_day / 6) / 10,
    days: rule.deadline_days,
  });
}

async function declare(event) {
  event.preventDefault();
  const error = $("#declare-error");
  error.hidden = true;
  const whole = state.user.role === "admin" && $("#whole").checked;
  const units = Array.from(document.querySelectorAll("#level-units input:checked")).map((b) => b.value);
  const start = $("#level-start").value;
  const end = $("#level-end").value;
  const problem = !whole && !units.length ? "levels.pickUnit" : !start || !end || end <= start ? "levels.badPeriod" : "";
  if (problem) {
    error.textContent = t(problem);
    error.hidden = false;
    return;
  }
  const button = $("#show-impact");
  button.disabled = true;
  try {
    const body = { level: $("#level").value, units: whole ? null : units, start, end, reason: $("#level-reason").value.trim() };
    const declaration = await api("/duty-levels/declarations", { method: "POST", body });
    showImpact(declaration);
    await loadList();
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

// --------------------------------------------------------------------------- the impact

function slotsHtml(x) {
  const resized = x.slots.filter((s) => s.before && s.after).length;
  if (!x.slots.length) return `<p class="muted">${esc(t("levels.slotsNone"))}</p>`;
  const delta = x.officers_needed_delta > 0 ? `+${x.officers_needed_delta}` : String(x.officers_needed_delta);
  const rows = x.slots
    .slice(0, 500)
    .map(
      (s) =>
        `<tr class="${s.after === 0 ? "removed" : s.before === 0 ? "added" : ""}"><td>${esc(fmtDay(s.date))}</td><td>${esc(state.names.post(s.post))}</td><td>${esc(state.names.shift(s.shift))}</td><td>${s.before} → ${s.after}</td></tr>`,
    )
    .join("");
  return `<p id="impact-slots" data-added="${x.slots_added}" data-removed="${x.slots_removed}">${esc(t("levels.slots", { added: x.slots_added, removed: x.slots_removed, resized, delta }))}</p>
    <details class="small"><summary>${esc(t("levels.slotList", { n: x.slots.length }))}</summary><div class="table-scroll"><table class="list"><thead><tr><th>${esc(t("levels.col.date"))}</th><th>${esc(t("levels.col.post"))}</th><th>${esc(t("levels.col.shift"))}</th><th>${esc(t("levels.col.need"))}</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
}

function cancelledHtml(x) {
  if (!x.cancelled_leave.length && !x.cancelled_requests.length) return `<p class="muted">${esc(t("levels.noneCancelled"))}</p>`;
  const span = (s) => s.slice(0, 16).replace("T", " ");
  const leave = x.cancelled_leave
    .map((l) => `<li data-officer="${esc(l.officer)}"><strong>${esc(state.names.officer(l.officer))}</strong> ${esc(span(l.start))} – ${esc(span(l.end))} <span class="muted">${esc(l.reason)}</span></li>`)
    .join("");
  const requests = x.cancelled_requests
    .map((r) => `<li data-officer="${esc(r.officer)}"><strong>${esc(state.names.officer(r.officer))}</strong> ${esc(fmtDay(r.date))} ${esc(t(`levels.request.${r.kind}`))}${r.shift ? ` ${esc(state.names.shift(r.shift))}` : ""}</li>`)
    .join("");
  return `<div id="impact-cancelled"><h3>${esc(t("levels.cancelledLeave", { n: x.cancelled_leave.length }))}</h3><ul class="plain">${leave}</ul><h3>${esc(t("levels.cancelledRequests", { n: x.cancelled_requests.length }))}</h3><ul class="plain">${requests}</ul></div>`;
}

function showImpact(x) {
  clearTimeout(state.timer);
  state.current = x;
  const change = x.change;
  const proposal = change.proposal;
  const busy = proposal && ["pending", "running"].includes(proposal.status);
  const recordOnly = proposal && proposal.status === "ready" && !proposal.roster_id && !change.base_roster_id;
  $("#impact-card").hidden = false;
  $("#impact-card").dataset.change = String(change.id);
  const units = unitNames(change.payload.units || null);
  $("#impact-title").innerHTML = `${esc(t("levels.impactTitle", { id: change.id, level: t(`level.${x.level}`), units, start: x.start, end: lastDay(x.end) }))} ${statusBadge(change.status)}`;
  const roster = `<p class="small"><a id="open-roster" href="/ui/roster?start=${esc(mondayOf(x.start))}">${esc(t("levels.openRoster"))}</a></p>`;
  $("#impact").innerHTML =
    (recordOnly ? "" : slotsHtml(x)) +
    cancelledHtml(x) +
    `<h3>${esc(t("levels.diff"))}</h3>` +
    (recordOnly ? `<p class="notice" id="record-only">${esc(t("levels.recordOnly"))}</p>` : `${checkHtml(change.check, state.names)}${proposalHtml(proposal, state.names)}`) +
    roster;
  const open = OPEN.includes(change.status);
  $("#impact-decide").hidden = !open;
  const ready = proposal && proposal.status === "ready";
  $("#approve").disabled = !ready || Boolean(change.check && !change.check.ok);
  $("#withdraw").textContent = t(isOwn(change) ? "levels.withdraw" : "inbox.reject");
  if (busy) state.timer = setTimeout(() => refreshImpact().catch(showError), 1500);
}

async function refreshImpact() {
  if (!state.current) return;
  showImpact(await api(`/duty-levels/declarations/${state.current.change.id}`));
}

async function decide(action) {
  const change = state.current.change;
  const reason = $("#decide-reason").value.trim();
  const path = action === "approve" ? "approve" : isOwn(change) ? "withdraw" : "reject";
  if (path === "reject" && !reason) {
    flash(t("levels.needReason"));
    $("#decide-reason").focus();
    return;
  }
  $("#approve").disabled = $("#withdraw").disabled = true;
  try {
    await api(`/changes/${change.id}/${path}`, { method: "POST", body: { reason } });
    const recorded = !change.base_roster_id && !(change.proposal && change.proposal.roster_id);
    const done = action !== "approve" ? "levels.withdrawn" : recorded ? "levels.recorded" : "levels.approved";
    flash(t(done, { id: change.id }), "ok");
  } catch (error) {
    showError(error);
  } finally {
    $("#withdraw").disabled = false;
  }
  $("#decide-reason").value = "";
  await Promise.all([refreshImpact(), loadList()]);
}

// --------------------------------------------------------------------------- the declarations

function when(change) {
  if (change.status !== "applied") return "";
  const p = change.payload;
  const key = state.today < p.start ? "upcoming" : state.today < p.end ? "inForce" : "ended";
  return `<span class="tag">${esc(t(`levels.when.${key}`))}</span>`;
}

async function loadList() {
  const page = await api("/changes", { query: { kind: "duty_level", limit: 100 } });
  const head = ["id", "level", "units", "period", "status", "when"].map((c) => `<th>${esc(t(`levels.col.${c}`))}</th>`).join("");
  $("#declarations").innerHTML = page.items.length
    ? `<thead><tr>${head}<th></th></tr></thead><tbody>${page.items
        .map((c) => {
          const p = c.payload;
          return `<tr data-change="${c.id}"><td>#${c.id}</td><td>${esc(t(`level.${p.level}`))}</td><td>${esc(unitNames(p.units || null))}</td><td>${esc(p.start)} – ${esc(lastDay(p.end))}</td><td>${statusBadge(c.status)}</td><td>${when(c)}</td><td><button type="button" class="ghost small" data-open="${c.id}" title="${esc(fmtUtc(c.created_at))}">${esc(t("levels.open"))}</button></td></tr>`;
        })
        .join("")}</tbody>`
    : `<tbody><tr><td class="muted">${esc(t("levels.empty"))}</td></tr></tbody>`;
}

// --------------------------------------------------------------------------- start

startPage(async (user) => {
  state.user = user;
  const [cat, posts, officers] = await Promise.all([loadCatalogue(), apiAll("/posts"), apiAll("/officers")]);
  state.cat = cat;
  state.today = nowLocal(cat.settings.timezone).slice(0, 10);
  state.names = namer({
    officers: Object.fromEntries(officers.map((o) => [o.id, o.name])),
    posts: Object.fromEntries(posts.map((p) => [p.id, p])),
    shifts: cat.shiftById,
  });
  renderUnits();
  renderLevelChoice();
  $("#declare-form").addEventListener("submit", declare);
  $("#approve").addEventListener("click", () => decide("approve"));
  $("#withdraw").addEventListener("click", () => decide("withdraw"));
  $("#refresh").addEventListener("click", () => loadList().catch(showError));
  $("#declarations").addEventListener("click", (event) => {
    const open = event.target.closest("[data-open]");
    if (open) api(`/duty-levels/declarations/${open.dataset.open}`).then(showImpact).catch(showError);
  });
  await Promise.all([renderLevels(), loadList()]);
});

// The audit log (dispatchers, admins): every change to the rosters, newest first, filtered by who
// did it, the kind of action or change, the unit and a range of days (GET /audit).
import { $, addDays, api, apiAll, esc, fmtDay, fmtUtc, loadCatalogue, params, showError, startPage, t } from "../app.js";
import { namer } from "../changes.js";

const SIZE = 100;
const state = { cat: null, names: null, page: 1, items: [], total: 0, asked: 0 };

function actionName(action) {
  const key = `audit.action.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

// the reasons the service itself writes (in English), said in the page's language
const REASONS = {
  "submitted by the duty office": "audit.reason.byOffice",
  "not re-staffed: the slots are left short, to be filled by hand": "audit.reason.leftShort",
  "no published duty needs re-staffing": "audit.reason.nothingToRestaff",
};

function reasonText(reason) {
  return REASONS[reason] ? t(REASONS[reason]) : reason;
}

function filters() {
  const to = $("#to").value;
  return {
    actor: $("#actor").value.trim(),
    action: $("#action").value,
    kind: $("#kind").value,
    unit: $("#unit").value,
    start: $("#from").value,
    end: to ? addDays(to, 1) : "", // the page's "to" day is inclusive, the API's end is not
  };
}

function row(e) {
  const duty = e.post
    ? `${e.date ? fmtDay(e.date) : ""} ${e.shift ? state.names.shift(e.shift) : ""} · ${state.names.post(e.post)}`
    : "";
  const kind = e.change_kind ? t(`change.${e.change_kind}`) : "";
  const change = e.change_id ? `#${e.change_id}${kind ? ` ${kind}` : ""}` : "";
  const roster = e.roster_id ? t("audit.roster", { id: e.roster_id }) : "";
  return `<tr data-event="${e.id}" data-action="${esc(e.action)}"><td class="nowrap">${esc(fmtUtc(e.at))}</td><td>${esc(e.actor === "system" ? t("audit.system") : e.actor)}</td><td>${esc(actionName(e.action))}</td><td>${esc(change)}</td><td>${esc(e.officer ? state.names.officer(e.officer) : "")}</td><td>${esc(duty)}</td><td>${esc(roster)}</td><td>${esc(reasonText(e.reason))}</td></tr>`;
}

function render() {
  const head = `<thead><tr><th>${esc(t("audit.at"))}</th><th>${esc(t("audit.actor"))}</th><th>${esc(t("audit.action"))}</th><th>${esc(t("audit.change"))}</th><th>${esc(t("roster.officer"))}</th><th>${esc(t("audit.duty"))}</th><th>${esc(t("audit.rosterCol"))}</th><th>${esc(t("form.reason"))}</th></tr></thead>`;
  $("#audit-table").innerHTML = state.items.length
    ? `${head}<tbody>${state.items.map(row).join("")}</tbody>`
    : `<tbody><tr><td class="muted">${esc(t("audit.empty"))}</td></tr></tbody>`;
  $("#audit-count").textContent = t("audit.count", { n: state.total, shown: state.items.length });
  $("#more").hidden = state.items.length >= state.total;
}

async function load(more = false) {
  const f = filters();
  if (f.start && f.end && f.end <= f.start) {
    showError(new Error(t("audit.badRange")));
    return;
  }
  params.set({ actor: f.actor, action: f.action, kind: f.kind, unit: f.unit, from: $("#from").value, to: $("#to").value });
  const asked = ++state.asked; // a later filter's answer wins over an earlier one still in flight
  const number = more ? state.page + 1 : 1;
  const page = await api("/audit", { query: { ...f, page: number, size: SIZE } });
  if (asked !== state.asked) return;
  state.page = number;
  state.items = more ? state.items.concat(page.items) : page.items;
  state.total = page.total;
  render();
}

startPage(async (user) => {
  const [cat, officers, posts, users] = await Promise.all([
    loadCatalogue(),
    apiAll("/officers"),
    apiAll("/posts"),
    user.role === "admin" ? apiAll("/users") : Promise.resolve([]),
  ]);
  state.cat = cat;
  state.names = namer({
    officers: Object.fromEntries(officers.map((o) => [o.id, o.name])),
    posts: Object.fromEntries(posts.map((p) => [p.id, p])),
    shifts: cat.shiftById,
  });
  const usernames = new Set([user.username, "system", ...users.map((u) => u.username)]);
  $("#actors").innerHTML = [...usernames].map((u) => `<option value="${esc(u)}"></option>`).join("");
  const units = user.role === "dispatcher" ? cat.units.filter((u) => user.units.includes(u.id)) : cat.units;
  $("#unit").innerHTML =
    `<option value="">${esc(t("roster.allUnits"))}</option>` +
    units.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join("");
  for (const id of ["actor", "action", "kind", "unit", "from", "to"]) $(`#${id}`).value = params.get(id);
  const reload = () => load().catch(showError);
  for (const id of ["#action", "#kind", "#unit", "#from", "#to"]) $(id).addEventListener("change", reload);
  $("#actor").addEventListener("change", reload);
  $("#refresh").addEventListener("click", reload);
  $("#more").addEventListener("click", () => load(true).catch(showError));
  await load();
});

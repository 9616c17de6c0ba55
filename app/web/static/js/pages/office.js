// The duty office's desk (dispatchers, admins): record a sick call or leave and see the duties it
// takes away and how they are re-planned; change a post's coverage; compare two roster versions;
// the unit's officers; sheet imports (leave sheets; officer and post sheets: admins); accounts
// (admins). The API checks every right.
import { $, $$, addDays, api, apiAll, errorText, esc, flash, fmtDay, loadCatalogue, nowLocal, params, showError, startPage, t } from "../app.js";
import { checkHtml, describe, namer, proposalHtml, ruleName, statusBadge } from "../changes.js";

const state = {
  user: null,
  cat: null,
  officers: [],
  posts: [],
  postById: {},
  skills: [],
  names: null,
  timers: {},
};

const isAdmin = () => state.user.role === "admin";
const myUnits = () => (isAdmin() ? state.cat.units : state.cat.units.filter((u) => state.user.units.includes(u.id)));

function unitOptions(select, { all = false } = {}) {
  const units = myUnits();
  select.innerHTML =
    (all ? `<option value="">${esc(t("roster.allUnits"))}</option>` : "") +
    units.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join("");
}

function rebuildNames() {
  state.names = namer({
    officers: Object.fromEntries(state.officers.map((o) => [o.id, o.name])),
    posts: state.postById,
    shifts: state.cat.shiftById,
  });
}

// --------------------------------------------------------------------------- a change, shown and approved

/** A submitted change: what it asks, its check, the re-planned duties, and approve once ready. */
function changeCard(change) {
  const proposal = change.proposal;
  const ready = !proposal || proposal.status === "ready";
  const open = ["submitted", "accepted"].includes(change.status);
  const breaks = Boolean(change.check && !change.check.ok);
  const removed = proposal && proposal.status === "ready" ? proposal.removed : [];
  const added = proposal && proposal.status === "ready" ? proposal.added : [];
  const affected = removed.length
    ? `<div class="affected"><h4>${esc(t("office.affected", { n: removed.length }))}</h4><ul>${removed.map((d) => `<li class="removed" data-duty="${esc(`${d.post}|${d.date}|${d.shift}`)}">− ${esc(state.names.officer(d.officer))} · ${esc(fmtDay(d.date))} ${esc(state.names.shift(d.shift))} · ${esc(state.names.post(d.post))}</li>`).join("")}</ul>${added.length ? `<h4>${esc(t("office.restaffed", { n: added.length }))}</h4><ul>${added.map((d) => `<li class="added">+ ${esc(state.names.officer(d.officer))} · ${esc(fmtDay(d.date))} ${esc(state.names.shift(d.shift))} · ${esc(state.names.post(d.post))}</li>`).join("")}</ul>` : proposal && proposal.job_id === null ? `<p class="warn small">${esc(t("office.leftShort"))}</p>` : ""}</div>`
    : "";
  const week = removed.length ? removed[0].date : change.payload.from_date || (change.payload.start || "").slice(0, 10);
  const unit = change.unit_ids[0] || "";
  const link = change.applied_roster_id
    ? `<p><a class="button" href="/ui/roster?start=${esc(week)}&unit=${esc(unit)}">${esc(t("office.toGrid"))}</a></p>`
    : "";
  const approve =
    open && ready
      ? `<div class="actions"><button type="button" class="primary" data-approve="${change.id}"${breaks ? ` disabled title="${esc(t("inbox.breaksRules"))}"` : ""}>${esc(t("office.approve"))}</button></div>`
      : "";
  return `<article class="request" data-change="${change.id}"><header><h3>${esc(t(`change.${change.kind}`))} #${change.id}</h3>${statusBadge(change.status)}</header><p>${esc(describe(change, state.names))}</p>${checkHtml(change.check, state.names)}${proposal && proposal.job_id !== null ? proposalHtml(proposal, state.names) : ""}${affected}${approve}${link}</article>`;
}

/** Show `change` in `box`, following its re-plan until the proposal is ready. */
function follow(box, change) {
  clearTimeout(state.timers[box.id]);
  box.innerHTML = changeCard(change);
  const busy = change.proposal && ["pending", "running"].includes(change.proposal.status);
  if (busy) {
    state.timers[box.id] = setTimeout(async () => {
      try {
        follow(box, await api(`/changes/${change.id}`));
      } catch (error) {
        showError(error);
      }
    }, 1000);
  }
}

async function approveIn(box, id) {
  for (const b of $$("button", box)) b.disabled = true;
  try {
    const change = await api(`/changes/${id}/approve`, { method: "POST", body: { reason: "" } });
    flash(t("inbox.approved", { id }), "ok");
    follow(box, change);
  } catch (error) {
    if (error.status === 409) {
      const rules = error.details.filter((d) => d.path.startsWith("check.violations")).map((d) => d.message.split(" ")[0]);
      const why = rules.length
        ? t("inbox.refusedRules", { n: rules.length, rules: [...new Set(rules.map(ruleName))].join("、") })
        : t("inbox.refusedMoved");
      flash(t("inbox.refused", { id, why }), "error");
    } else {
      showError(error);
    }
    follow(box, await api(`/changes/${id}`));
  }
}

// --------------------------------------------------------------------------- sick call and leave

function fillOfficers(select, unit) {
  const list = state.officers.filter((o) => !unit || o.unit === unit).sort((a, b) => a.id.localeCompare(b.id));
  select.innerHTML = list.map((o) => `<option value="${esc(o.id)}">${esc(o.name)} (${esc(o.id)})</option>`).join("");
}

async function showLeaveAffected() {
  const box = $("#leave-affected");
  const officer = $("#leave-officer").value;
  const start = $("#leave-start").value;
  const end = $("#leave-end").value;
  if (!officer || !start || !end || end <= start) {
    box.innerHTML = "";
    return;
  }
  try {
    const duties = await apiAll("/duties", { officer, start: start.slice(0, 10), end: addDays(end.slice(0, 10), 1) });
    const hit = duties.filter((d) => d.start.slice(0, 16) < end && d.end.slice(0, 16) > start);
    box.innerHTML = hit.length
      ? `<p>${esc(t("leave.office.affected", { n: hit.length }))}</p><ul>${hit.map((d) => `<li data-duty="${esc(`${d.post}|${d.date}|${d.shift}`)}">${esc(fmtDay(d.date))} ${esc(d.shift_name)} · ${esc(d.post_name)}</li>`).join("")}</ul>`
      : `<p class="muted">${esc(t("leave.noDuties"))}</p>`;
  } catch (error) {
    box.innerHTML = `<p class="warn">${esc(errorText(error))}</p>`;
  }
}

async function submitLeave(event) {
  event.preventDefault();
  const type = $("#leave-type");
  const note = $("#leave-note").value.trim();
  const label = type.options[type.selectedIndex].textContent;
  const body = {
    kind: "leave",
    officer: $("#leave-officer").value,
    start: $("#leave-start").value,
    end: $("#leave-end").value,
    reason: note ? `${label}：${note}` : label,
    restaff: $("#leave-restaff").checked,
  };
  const button = $("#leave-submit");
  button.disabled = true;
  try {
    const change = await api("/changes", { method: "POST", body });
    flash(t("office.recorded", { id: change.id }), "ok");
    follow($("#leave-result"), change);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

function setupLeave() {
  unitOptions($("#leave-unit"));
  const fill = () => {
    fillOfficers($("#leave-officer"), $("#leave-unit").value);
    showLeaveAffected();
  };
  $("#leave-unit").addEventListener("change", fill);
  const today = nowLocal(state.cat.settings.timezone).slice(0, 10);
  $("#leave-start").value = `${today}T07:00`;
  $("#leave-end").value = `${addDays(today, 1)}T07:00`;
  for (const id of ["#leave-officer", "#leave-start", "#leave-end"]) $(id).addEventListener("change", showLeaveAffected);
  $("#leave-form").addEventListener("submit", submitLeave);
  $("#leave-result").addEventListener("click", (event) => {
    const b = event.target.closest("[data-approve]");
    if (b) approveIn($("#leave-result"), b.dataset.approve);
  });
  fill();
}

// --------------------------------------------------------------------------- coverage change

function coverageEntry(post, shift) {
  return post ? post.coverage.find((c) => c.shift === shift) : null;
}

function showCurrentCoverage() {
  const post = state.postById[$("#coverage-post").value];
  const entry = coverageEntry(post, $("#coverage-shift").value);
  $("#coverage-current").textContent = entry
    ? t("coverage.current", { min: entry.min, max: entry.max })
    : t("coverage.none");
  if (entry) {
    $("#coverage-min").value = entry.min;
    $("#coverage-max").value = entry.max;
  }
}

function fillPosts() {
  const unit = $("#coverage-unit").value;
  const posts = state.posts.filter((p) => p.unit === unit).sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
  $("#coverage-post").innerHTML = posts.map((p) => `<option value="${esc(p.id)}">${esc(p.name)}</option>`).join("");
  fillShifts();
}

function fillShifts() {
  const post = state.postById[$("#coverage-post").value];
  const used = new Set(post ? post.coverage.map((c) => c.shift) : []);
  const shifts = [...state.cat.shifts].sort((a, b) => Number(!used.has(a.id)) - Number(!used.has(b.id)));
  $("#coverage-shift").innerHTML = shifts
    .map((s) => `<option value="${esc(s.id)}">${esc(s.name)} ${esc(s.start)}</option>`)
    .join("");
  showCurrentCoverage();
}

async function submitCoverage(event) {
  event.preventDefault();
  const max = $("#coverage-max").value;
  const body = {
    kind: "coverage_change",
    post: $("#coverage-post").value,
    shift: $("#coverage-shift").value,
    from_date: $("#coverage-from").value,
    min: Number($("#coverage-min").value),
    reason: $("#coverage-reason").value.trim(),
  };
  if (max !== "") body.max = Number(max);
  const button = $("#coverage-submit");
  button.disabled = true;
  try {
    const change = await api("/changes", { method: "POST", body });
    flash(t("office.recorded", { id: change.id }), "ok");
    follow($("#coverage-result"), change);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

function setupCoverage() {
  unitOptions($("#coverage-unit"));
  $("#coverage-unit").addEventListener("change", fillPosts);
  $("#coverage-post").addEventListener("change", fillShifts);
  $("#coverage-shift").addEventListener("change", showCurrentCoverage);
  $("#coverage-from").value = addDays(nowLocal(state.cat.settings.timezone).slice(0, 10), 1);
  $("#coverage-form").addEventListener("submit", submitCoverage);
  $("#coverage-result").addEventListener("click", (event) => {
    const b = event.target.closest("[data-approve]");
    if (b) approveIn($("#coverage-result"), b.dataset.approve);
  });
  fillPosts();
}

// --------------------------------------------------------------------------- versions compared

let versions = [];

function versionLabel(r) {
  const units = r.units.map((u) => state.cat.unitName[u] || u).join("、");
  return `#${r.id} ${t(`status.${r.status}`)} · ${r.start} +${r.days}${t("common.days")} · ${units}`;
}

function fillVersions() {
  const week = $("#compare-week").value;
  const shown = versions.filter((r) => !week || (r.start <= week && addDays(r.start, r.days) > week));
  const options = shown.map((r) => `<option value="${r.id}">${esc(versionLabel(r))}</option>`).join("");
  $("#compare-a").innerHTML = options;
  $("#compare-b").innerHTML = options;
  const published = shown.find((r) => r.status === "published");
  const older = shown.find((r) => published && r.id !== published.id);
  if (published) $("#compare-b").value = String(published.id);
  if (older) $("#compare-a").value = String(older.id);
}

function dutyLine(d) {
  return `${fmtDay(d.date)} ${state.names.shift(d.shift)} · ${state.names.post(d.post)}`;
}

async function compare() {
  const a = $("#compare-a").value;
  const b = $("#compare-b").value;
  const box = $("#compare-result");
  if (!a || !b) {
    box.innerHTML = `<p class="muted">${esc(t("compare.pick"))}</p>`;
    return;
  }
  params.set({ a, b, week: $("#compare-week").value });
  try {
    const diff = await api(`/rosters/${a}/diff/${b}`);
    const paired = new Set();
    for (const m of diff.moved) {
      paired.add(JSON.stringify(m.before));
      paired.add(JSON.stringify(m.after));
    }
    const rest = (list) => list.filter((d) => !paired.has(JSON.stringify(d)));
    const added = rest(diff.added);
    const removed = rest(diff.removed);
    const moved = diff.moved
      .map((m) => {
        const who =
          m.before.officer === m.after.officer
            ? esc(state.names.officer(m.before.officer))
            : `${esc(state.names.officer(m.before.officer))} → ${esc(state.names.officer(m.after.officer))}`;
        const where = dutyLine(m.before) === dutyLine(m.after) ? esc(dutyLine(m.before)) : `${esc(dutyLine(m.before))} → ${esc(dutyLine(m.after))}`;
        return `<tr class="moved"><td>${who}</td><td>${where}</td></tr>`;
      })
      .join("");
    const rows = (list, cls, sign) =>
      list.map((d) => `<tr class="${cls}"><td>${sign} ${esc(state.names.officer(d.officer))}</td><td>${esc(dutyLine(d))}</td></tr>`).join("");
    const summary = t("compare.summary", { moved: diff.moved.length, added: added.length, removed: removed.length });
    box.innerHTML = diff.changed
      ? `<p id="compare-summary">${esc(summary)}</p>${moved ? `<h3>${esc(t("compare.moved"))}</h3><table class="list"><tbody>${moved}</tbody></table>` : ""}${added.length ? `<h3>${esc(t("compare.added"))}</h3><table class="list"><tbody>${rows(added, "added", "+")}</tbody></table>` : ""}${removed.length ? `<h3>${esc(t("compare.removed"))}</h3><table class="list"><tbody>${rows(removed, "removed", "−")}</tbody></table>` : ""}`
      : `<p id="compare-summary" class="muted">${esc(t("compare.same"))}</p>`;
  } catch (error) {
    box.innerHTML = `<p class="warn">${esc(errorText(error))}</p>`;
  }
}

async function setupCompare() {
  versions = (await api("/rosters", { query: { limit: 200 } })).items;
  $("#compare-week").value = params.get("week") || (state.cat.settings.horizon ? state.cat.settings.horizon.start : "");
  fillVersions();
  if (params.get("a")) $("#compare-a").value = params.get("a");
  if (params.get("b")) $("#compare-b").value = params.get("b");
  $("#compare-week").addEventListener("change", fillVersions);
  $("#compare-go").addEventListener("click", compare);
}

// --------------------------------------------------------------------------- officers

let editing = null; // the officer being edited, or null for a new one

function renderOfficers() {
  const unit = $("#officers-unit").value;
  const q = $("#officers-q").value.trim().toLowerCase();
  const skillName = Object.fromEntries(state.skills.map((s) => [s.id, s.name]));
  const list = state.officers
    .filter((o) => (!unit || o.unit === unit) && (!q || o.id.toLowerCase().includes(q) || o.name.toLowerCase().includes(q)))
    .sort((a, b) => a.id.localeCompare(b.id));
  const canEdit = isAdmin() || state.user.role === "dispatcher";
  const head = `<thead><tr><th>${esc(t("officers.id"))}</th><th>${esc(t("officers.name"))}</th><th>${esc(t("roster.unit"))}</th><th>${esc(t("officers.skills"))}</th><th></th></tr></thead>`;
  const body = list
    .map(
      (o) =>
        `<tr data-officer="${esc(o.id)}"><td>${esc(o.id)}</td><td>${esc(o.name)}</td><td>${esc(state.cat.unitName[o.unit] || o.unit)}</td><td>${esc(o.skills.map((s) => skillName[s] || s).join("、"))}</td><td>${canEdit ? `<button type="button" class="ghost small" data-edit="${esc(o.id)}">${esc(t("officers.edit"))}</button>` : ""}</td></tr>`,
    )
    .join("");
  $("#officers-table").innerHTML = `${head}<tbody>${body}</tbody>`;
}

function openOfficerForm(officer) {
  editing = officer;
  const form = $("#officer-form");
  form.hidden = false;
  $("#officer-error").hidden = true;
  $("#officer-form-title").textContent = officer ? t("officers.editTitle", { id: officer.id }) : t("officers.new");
  $("#officer-id").value = officer ? officer.id : "";
  $("#officer-id").disabled = Boolean(officer);
  $("#officer-name").value = officer ? officer.name : "";
  unitOptions($("#officer-unit"));
  $("#officer-unit").value = officer ? officer.unit : $("#officers-unit").value || $("#officer-unit").value;
  const has = new Set(officer ? officer.skills : []);
  $("#officer-skills").innerHTML = state.skills
    .map((s) => `<label class="check"><input type="checkbox" name="skill" value="${esc(s.id)}"${has.has(s.id) ? " checked" : ""}> ${esc(s.name)}</label>`)
    .join("");
  $("#officer-name").focus();
}

async function saveOfficer(event) {
  event.preventDefault();
  const skills = $$("#officer-skills input:checked").map((i) => i.value);
  const body = { name: $("#officer-name").value.trim(), unit: $("#officer-unit").value, skills };
  try {
    const saved = editing
      ? await api(`/officers/${encodeURIComponent(editing.id)}`, { method: "PATCH", body })
      : await api("/officers", { method: "POST", body: { ...body, id: $("#officer-id").value.trim() } });
    state.officers = state.officers.filter((o) => o.id !== saved.id).concat([saved]);
    rebuildNames();
    $("#officer-form").hidden = true;
    flash(t("officers.saved", { name: saved.name }), "ok");
    renderOfficers();
  } catch (error) {
    $("#officer-error").textContent = errorText(error);
    $("#officer-error").hidden = false;
  }
}

function setupOfficers() {
  unitOptions($("#officers-unit"), { all: isAdmin() });
  $("#officers-unit").addEventListener("change", renderOfficers);
  $("#officers-q").addEventListener("input", renderOfficers);
  $("#officer-new").addEventListener("click", () => openOfficerForm(null));
  $("#officer-cancel").addEventListener("click", () => ($("#officer-form").hidden = true));
  $("#officer-form").addEventListener("submit", saveOfficer);
  $("#officers-table").addEventListener("click", (event) => {
    const b = event.target.closest("[data-edit]");
    if (b) openOfficerForm(state.officers.find((o) => o.id === b.dataset.edit));
  });
  renderOfficers();
}

// --------------------------------------------------------------------------- accounts (admins)

async function renderAccounts() {
  const users = await apiAll("/users");
  const head = `<thead><tr><th>${esc(t("accounts.username"))}</th><th>${esc(t("accounts.role"))}</th><th>${esc(t("accounts.units"))}</th><th>${esc(t("accounts.officer"))}</th><th>${esc(t("accounts.state"))}</th><th></th></tr></thead>`;
  const roleOptions = (role) =>
    ["admin", "dispatcher", "officer"].map((r) => `<option value="${r}"${r === role ? " selected" : ""}>${esc(t(`role.${r}`))}</option>`).join("");
  const body = users
    .map(
      (u) =>
        `<tr data-user="${u.id}"><td>${esc(u.username)}</td><td><select data-role="${u.id}" aria-label="${esc(t("accounts.role"))}">${roleOptions(u.role)}</select></td><td><input type="text" data-units="${u.id}" value="${esc(u.units.join(" "))}" size="12" aria-label="${esc(t("accounts.units"))}"></td><td>${esc(u.officer_id || "")}</td><td>${esc(t(u.is_active ? "accounts.active" : "accounts.disabled"))}</td><td class="actions"><button type="button" class="ghost small" data-save="${u.id}">${esc(t("accounts.save"))}</button><button type="button" class="ghost small" data-reset="${u.id}">${esc(t("accounts.reset"))}</button><button type="button" class="${u.is_active ? "danger" : "ghost"} small" data-toggle="${u.id}" data-active="${u.is_active}">${esc(t(u.is_active ? "accounts.disable" : "accounts.enable"))}</button></td></tr>`,
    )
    .join("");
  $("#accounts-table").innerHTML = `${head}<tbody>${body}</tbody>`;
}

async function accountAction(event) {
  const save = event.target.closest("[data-save]");
  const reset = event.target.closest("[data-reset]");
  const toggle = event.target.closest("[data-toggle]");
  try {
    if (save) {
      const id = save.dataset.save;
      const units = $(`[data-units="${id}"]`).value.split(/[\s,，、]+/).filter(Boolean);
      await api(`/users/${id}`, { method: "PATCH", body: { role: $(`[data-role="${id}"]`).value, units } });
      flash(t("accounts.saved"), "ok");
    } else if (reset) {
      const password = prompt(t("accounts.newPassword"));
      if (!password) return;
      await api(`/users/${reset.dataset.reset}`, { method: "PATCH", body: { password } });
      flash(t("accounts.passwordReset"), "ok");
    } else if (toggle) {
      const active = toggle.dataset.active === "true";
      await api(`/users/${toggle.dataset.toggle}`, { method: "PATCH", body: { is_active: !active } });
      flash(t(active ? "accounts.disabledOk" : "accounts.enabledOk"), "ok");
    } else {
      return;
    }
    await renderAccounts();
  } catch (error) {
    showError(error);
  }
}

async function createAccount(event) {
  event.preventDefault();
  const body = {
    username: $("#account-username").value.trim(),
    role: $("#account-role").value,
    password: $("#account-password").value,
    units: $$("#account-units option:checked").map((o) => o.value),
  };
  const officer = $("#account-officer").value.trim();
  if (officer) body.officer_id = officer;
  try {
    await api("/users", { method: "POST", body });
    $("#account-error").hidden = true;
    $("#account-form").reset();
    flash(t("accounts.created", { name: body.username }), "ok");
    await renderAccounts();
  } catch (error) {
    $("#account-error").textContent = errorText(error);
    $("#account-error").hidden = false;
  }
}

async function setupAccounts() {
  $("#account-units").innerHTML = state.cat.units.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join("");
  $("#account-form").addEventListener("submit", createAccount);
  $("#accounts-table").addEventListener("click", accountAction);
  await renderAccounts();
}

// --------------------------------------------------------------------------- sheet imports (admins)

async function submitImport(event) {
  event.preventDefault();
  const file = $("#import-file").files[0];
  if (!file) return;
  const data = new FormData();
  data.append("file", file);
  const box = $("#import-result");
  try {
    const result = await api(`/import/${$("#import-kind").value}`, { method: "POST", upload: data });
    box.innerHTML = `<p class="check-ok">✓ ${esc(t("import.done", { officers: result.officers, posts: result.posts, spans: result.unavailability ?? 0 }))}</p>${result.updated.length ? `<p class="muted small">${esc(t("import.updated", { n: result.updated.length }))}</p>` : ""}`;
    state.officers = await apiAll("/officers");
    rebuildNames();
    renderOfficers();
  } catch (error) {
    const details = error.details || [];
    box.innerHTML = `<p class="warn">${esc(error.message)}</p>${details.length ? `<ul class="small">${details.map((d) => `<li><code>${esc(d.path)}</code> ${esc(d.message)}</li>`).join("")}</ul>` : ""}`;
  }
}

// --------------------------------------------------------------------------- the page

function showTab(name) {
  for (const b of $$("[data-tab]")) b.setAttribute("aria-pressed", String(b.dataset.tab === name));
  for (const p of $$("[data-panel]")) p.hidden = p.dataset.panel !== name;
  params.set({ tab: name === "leave" ? "" : name });
}

startPage(async (user) => {
  state.user = user;
  const [cat, officers, posts, skills] = await Promise.all([loadCatalogue(), apiAll("/officers"), apiAll("/posts"), apiAll("/skills")]);
  state.cat = cat;
  state.officers = officers;
  state.posts = posts;
  state.postById = Object.fromEntries(posts.map((p) => [p.id, p]));
  state.skills = skills;
  rebuildNames();
  if (!isAdmin()) for (const b of $$("[data-admin]")) b.remove();
  for (const b of $$("[data-tab]")) b.addEventListener("click", () => showTab(b.dataset.tab));
  setupLeave();
  setupCoverage();
  setupOfficers();
  await setupCompare();
  $("#import-form").addEventListener("submit", submitImport);
  if (isAdmin()) await setupAccounts();
  const tab = params.get("tab");
  showTab($(`[data-tab="${tab}"]`) ? tab : "leave");
});

// The requests inbox (dispatchers, admins): change requests with their rule check and score change,
// the re-planning diff of leave, approve or reject with a reason.
import { $, $$, api, apiAll, esc, flash, fmtUtc, loadCatalogue, params, showError, startPage, t } from "../app.js";
import { OPEN, checkHtml, describe, namer, proposalHtml, ruleName, statusBadge, stepsHtml } from "../changes.js";

const state = { user: null, cat: null, names: null, tab: "open", timer: null };

function card(change) {
  const open = OPEN.includes(change.status);
  const waiting =
    change.kind === "swap" && change.status === "submitted" ? `<p class="muted small">${esc(t("inbox.waitingPartner"))}</p>` : "";
  const decision = change.decision_reason ? `<p class="small">${esc(t("change.decision"))}${esc(t("common.colon"))}${esc(change.decision_reason)}</p>` : "";
  const applied = change.applied_roster_id
    ? `<p class="small"><a href="/ui/roster">${esc(t("inbox.applied", { id: change.applied_roster_id }))}</a></p>`
    : "";
  const proposal = change.proposal;
  const notReady = proposal && proposal.status !== "ready";
  const waitingFor = (change.kind === "swap" && change.status === "submitted") || notReady;
  const breaks = Boolean(change.check && !change.check.ok);
  const blocked = waitingFor || breaks;
  const why = breaks ? t("inbox.breaksRules") : t("inbox.notReady");
  const replan =
    proposal && proposal.status === "failed"
      ? `<button type="button" class="ghost" data-replan="${change.id}">${esc(t("inbox.replan"))}</button>`
      : "";
  const actions = open
    ? `<div class="decide"><label><span>${esc(t("inbox.reason"))}</span><textarea data-reason="${change.id}" maxlength="2000" placeholder="${esc(t("inbox.reason.placeholder"))}"></textarea></label><div class="actions">${replan}<button type="button" class="danger" data-reject="${change.id}">${esc(t("inbox.reject"))}</button><button type="button" class="primary" data-approve="${change.id}"${blocked ? ` disabled title="${esc(why)}"` : ""}>${esc(t("inbox.approve"))}</button></div></div>`
    : "";
  const units = change.unit_ids.map((u) => state.cat.unitName[u] || u).join("、");
  return `<article class="request" data-change="${change.id}">
    <header><h3>${esc(t(`change.${change.kind}`))} #${change.id}</h3>${statusBadge(change.status)}
      <span class="muted small">${esc(t("inbox.by", { who: change.requested_by.username }))} · ${esc(fmtUtc(change.created_at))} · ${esc(units)}</span></header>
    <p>${esc(describe(change, state.names))}</p>
    ${change.reason ? `<p class="small">${esc(t("form.reason"))}${esc(t("common.colon"))}${esc(change.reason)}</p>` : ""}
    ${waiting}${breaks && open ? `<p class="warn small">${esc(t("inbox.breaksRules"))}</p>` : ""}${checkHtml(change.check, state.names)}${proposalHtml(change.proposal, state.names)}${decision}${applied}${stepsHtml(change)}${actions}
  </article>`;
}

async function load() {
  clearTimeout(state.timer);
  params.set({ tab: state.tab === "open" ? "" : state.tab, kind: $("#kind").value, unit: $("#unit").value });
  const query = { kind: $("#kind").value, unit: $("#unit").value, limit: 100 };
  const page = await api("/changes", { query });
  const open = page.items.filter((c) => OPEN.includes(c.status));
  const shown = state.tab === "open" ? open : page.items.filter((c) => !OPEN.includes(c.status));
  $("#open-count").textContent = `(${open.length})`;
  $("#changes").innerHTML = shown.length
    ? shown.map(card).join("")
    : `<p class="card muted">${esc(t(state.tab === "open" ? "inbox.empty" : "inbox.emptyDone"))}</p>`;
  const busy = shown.some((c) => c.proposal && ["pending", "running"].includes(c.proposal.status));
  if (busy) state.timer = setTimeout(() => load().catch(showError), 2000);
}

async function replan(id) {
  try {
    await api(`/changes/${id}/replan`, { method: "POST" });
    flash(t("inbox.replanning", { id }), "info");
  } catch (error) {
    showError(error);
  }
  await load();
}

/** A 409 on approval, said once in the page's language from the change's own check. */
async function refused(id, error) {
  // the refusal's details name each broken rule first ("min_rest officer=…: …"), else the stored check
  let rules = error.details.filter((d) => d.path.startsWith("check.violations")).map((d) => d.message.split(" ")[0]);
  if (!rules.length) {
    const change = await api(`/changes/${id}`);
    rules = ((change.check && change.check.violations) || []).map((v) => v.rule);
  }
  const why = rules.length
    ? t("inbox.refusedRules", { n: rules.length, rules: [...new Set(rules.map(ruleName))].join("、") })
    : t("inbox.refusedMoved");
  flash(t("inbox.refused", { id, why }), "error");
}

async function decide(id, action) {
  const reason = ($(`[data-reason="${id}"]`).value || "").trim();
  if (action === "reject" && !reason) {
    flash(t("inbox.needReason"));
    $(`[data-reason="${id}"]`).focus();
    return;
  }
  for (const b of $$(`[data-change="${id}"] button`)) b.disabled = true;
  try {
    await api(`/changes/${id}/${action}`, { method: "POST", body: { reason } });
    flash(t(action === "approve" ? "inbox.approved" : "inbox.rejected", { id }), "ok");
  } catch (error) {
    if (action === "approve" && error.status === 409) await refused(id, error);
    else showError(error);
  }
  await load();
}

startPage(async (user) => {
  state.user = user;
  const [cat, posts, officers] = await Promise.all([loadCatalogue(), apiAll("/posts"), apiAll("/officers")]);
  state.cat = cat;
  state.names = namer({
    officers: Object.fromEntries(officers.map((o) => [o.id, o.name])),
    posts: Object.fromEntries(posts.map((p) => [p.id, p])),
    shifts: cat.shiftById,
  });
  const units = user.role === "dispatcher" ? cat.units.filter((u) => user.units.includes(u.id)) : cat.units;
  $("#unit").innerHTML =
    `<option value="">${esc(t("roster.allUnits"))}</option>` +
    units.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join("");
  state.tab = params.get("tab") || "open";
  $("#kind").value = params.get("kind");
  $("#unit").value = params.get("unit");
  const tabs = $$("[data-tab]");
  const showTab = () => tabs.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tab === state.tab)));
  showTab();
  for (const b of tabs) {
    b.addEventListener("click", () => {
      state.tab = b.dataset.tab;
      showTab();
      load().catch(showError);
    });
  }
  $("#kind").addEventListener("change", () => load().catch(showError));
  $("#unit").addEventListener("change", () => load().catch(showError));
  $("#refresh").addEventListener("click", () => load().catch(showError));
  $("#changes").addEventListener("click", (event) => {
    const approve = event.target.closest("[data-approve]");
    const reject = event.target.closest("[data-reject]");
    const again = event.target.closest("[data-replan]");
    if (again) replan(again.dataset.replan);
    if (approve) decide(approve.dataset.approve, "approve");
    if (reject) decide(reject.dataset.reject, "reject");
  });
  await load();
});

// My schedule (officers): my notifications, coming duties with buttons to ask for a swap, a cover or leave (with
// who-can-cover suggestions), swaps others ask of me, my requests, and my calendar link.
import {
  $,
  addDays,
  api,
  apiAll,
  errorText,
  esc,
  flash,
  fmtDay,
  fmtUtc,
  hm,
  loadCatalogue,
  nowLocal,
  nowText,
  openDialog,
  showError,
  startPage,
  t,
} from "../app.js";
import { loadNotifications, wireNotifications } from "../notifications.js";
import { wireWeekSheets } from "../sheets.js";
import { OPEN, checkHtml, coverRows, describe, dutyText, namer, ruleMessage, ruleName, statusBadge, stepsHtml } from "../changes.js";

const state = {
  user: null,
  me: null,
  cat: null,
  posts: {},
  now: "",
  duties: [], // my coming duties
  colleagues: [], // published duties of my unit around now
  names: null,
  current: null, // the duty a dialog is about
  offers: null, // the swaps for the current duty, judged both ways (GET /swap-offers)
  swapChoice: "", // the colleague's duty picked in the swap dialog
};

const ref = (d) => ({ officer: d.officer, post: d.post, shift: d.shift, date: d.date });
const isNight = (d) => Boolean(state.cat.shiftById[d.shift] && state.cat.shiftById[d.shift].night);
const localStart = (d) => d.start.slice(0, 16);
const localEnd = (d) => d.end.slice(0, 16);

function rebuildNames() {
  const officers = { [state.me.id]: state.me.name };
  for (const d of state.colleagues) officers[d.officer] = d.officer_name;
  state.names = namer({ officers, posts: state.posts, shifts: state.cat.shiftById });
}

// --------------------------------------------------------------------------- duties

async function loadDuties() {
  const today = state.now.slice(0, 10);
  const [mine, unit] = await Promise.all([
    apiAll("/me/schedule", { start: today, end: addDays(today, 42) }),
    apiAll("/duties", { start: addDays(today, -1), end: addDays(today, 15) }),
  ]);
  state.duties = mine.filter((d) => localEnd(d) > state.now).sort((a, b) => a.start.localeCompare(b.start));
  state.colleagues = unit;
  rebuildNames();
  const list = $("#duties");
  if (!state.duties.length) {
    list.innerHTML = `<p class="muted">${esc(t("me.noDuties"))}</p>`;
    return;
  }
  list.innerHTML = state.duties
    .map((d, i) => {
      const started = localStart(d) <= state.now;
      const buttons = started
        ? `<span class="muted small">${esc(t("me.onDutyNow"))}</span>`
        : `<button type="button" class="small" data-swap="${i}">${esc(t("me.swap"))}</button><button type="button" class="small" data-cover="${i}">${esc(t("me.cover"))}</button>`;
      return `<div class="duty${isNight(d) ? " night" : ""}" data-key="${esc(`${d.post}|${d.date}|${d.shift}`)}"><div class="when">${esc(fmtDay(d.date))}<small>${esc(d.shift_name)} ${esc(hm(d.start))}–${esc(hm(d.end))}</small></div><div class="where">${esc(d.post_name)}</div><div class="buttons">${buttons}</div></div>`;
    })
    .join("");
}

// --------------------------------------------------------------------------- my duty group

/** My duty group (执勤组), its members and what its rotation says for the next four weeks. */
async function loadGroup() {
  const today = state.now.slice(0, 10);
  const page = await api("/me/schedule", { query: { start: today, end: addDays(today, 28), limit: 1 } });
  const g = page.group;
  const card = $("#my-group-card");
  if (!g) {
    card.hidden = true;
    return;
  }
  const shiftName = (id) => (id === null ? t("groups.off") : state.cat.shiftById[id] ? state.cat.shiftById[id].name : id);
  const pattern = g.pattern
    ? t("me.groupPattern", { days: g.pattern.days.map(shiftName).join(" "), start: g.pattern.start })
    : t("me.groupNoPattern");
  const plan = g.plan.length
    ? `<h3>${esc(t("me.groupPlan"))}</h3><ol class="plan">${g.plan
        .map((p) => `<li class="${p.shift === null ? "off" : "on"}" data-date="${esc(p.date)}"><small>${esc(fmtDay(p.date))}</small><br>${esc(shiftName(p.shift))}</li>`)
        .join("")}</ol>`
    : "";
  const names = g.members.map((m) => m.name).join("、");
  $("#my-group").innerHTML = `<p><strong id="my-group-name">${esc(g.name)}</strong> <small class="muted">${esc(g.id)}</small></p><p id="my-group-pattern">${esc(pattern)}</p><p class="small muted">${esc(t("me.groupMembers", { names }))}</p>${plan}`;
  card.hidden = false;
}

// --------------------------------------------------------------------------- swap

async function openSwap(duty) {
  state.current = duty;
  $("#swap-error").hidden = true;
  $("#swap-reason").value = "";
  $("#swap-q").value = "";
  $("#swap-duty").textContent = `${t("swap.mine")}${t("common.colon")}${dutyText(duty, state.names, { officer: false })}`;
  const days = Array.from({ length: 7 }, (_, i) => addDays(duty.date, i - 3)).filter((d) => d >= state.now.slice(0, 10));
  $("#swap-day").innerHTML =
    `<option value="">${esc(t("swap.anyDay"))}</option>` + days.map((d) => `<option value="${d}">${esc(fmtDay(d))}</option>`).join("");
  state.swapChoice = "";
  state.offers = null;
  const list = $("#swap-list");
  list.setAttribute("aria-busy", "true");
  list.innerHTML = `<p class="muted">${esc(t("swap.loading"))}</p>`;
  openDialog($("#swap-dialog"));
  try {
    // each colleague's duty judged both ways: can I take theirs, can they take mine
    state.offers = (await api("/swap-offers", { query: ref(duty) })).offers;
  } catch (error) {
    list.removeAttribute("aria-busy");
    list.innerHTML = `<p class="warn">${esc(errorText(error))}</p>`;
    return;
  }
  list.removeAttribute("aria-busy");
  renderSwapList();
}

/** The rules a swap breaks, for whom: "您：休息时间不足；对方：7天工时超限". */
function swapWhy(offer) {
  const part = (who, blocks) =>
    blocks.length ? `${t(who)}${t("common.colon")}${[...new Set(blocks.map((b) => ruleMessage(b, state.names)))].join("、")}` : "";
  return [part("swap.you", offer.mine), part("swap.them", offer.theirs)].filter(Boolean).join("；");
}

function renderSwapList() {
  if (!state.offers) return;
  const day = $("#swap-day").value;
  const q = $("#swap-q").value.trim();
  const shown = state.offers
    .map((o) => ({ o, d: { ...o.duty, officer_name: o.officer_name } }))
    .filter(({ d }) => !day || d.date === day)
    .filter(({ d }) => !q || d.officer_name.includes(q) || state.names.post(d.post).includes(q) || d.officer === q);
  const row = ({ o, d }) => {
    const key = `${d.post}|${d.date}|${d.shift}|${d.officer}`;
    const what = `<strong>${esc(d.officer_name)}</strong> · ${esc(fmtDay(d.date))} ${esc(state.names.shift(d.shift))} · ${esc(state.names.post(d.post))}`;
    const tag = o.ok ? `<span class="tag">${esc(t("swap.bothOk"))}</span>` : `<small class="why">${esc(swapWhy(o))}</small>`;
    return `<label class="${o.ok ? "" : "blocked"}"><input type="radio" name="with" data-key="${esc(key)}" data-duty='${esc(JSON.stringify(ref(d)))}'${o.ok ? "" : " disabled"}> <span>${what}</span> ${tag}</label>`;
  };
  const good = shown.filter(({ o }) => o.ok);
  const bad = shown.filter(({ o }) => !o.ok);
  $("#swap-list").innerHTML =
    (good.length ? good.slice(0, 200).map(row).join("") : `<p class="muted">${esc(t("swap.none"))}</p>`) +
    (bad.length ? `<h4 class="apart">${esc(t("swap.apart"))} (${bad.length})</h4>${bad.slice(0, 200).map(row).join("")}` : "");
  const chosen = state.swapChoice && $(`#swap-list input[data-key="${CSS.escape(state.swapChoice)}"]`);
  if (chosen) chosen.checked = true;
}

/** The radio button checked in `list`, or null once `error` says to pick one (`message`). */
function picked(list, error, message) {
  const chosen = document.querySelector(`${list} input[type=radio]:checked`);
  if (!chosen) {
    error.textContent = t(message);
    error.hidden = false;
  }
  return chosen;
}

async function submitSwap(event) {
  event.preventDefault();
  const error = $("#swap-error");
  const chosen = picked("#swap-list", error, "swap.pickOne");
  if (!chosen) return;
  await send(
    { kind: "swap", duty: ref(state.current), with_duty: JSON.parse(chosen.dataset.duty), reason: $("#swap-reason").value.trim() },
    $("#swap-dialog"),
    error,
    t("swap.sent"),
  );
}

// --------------------------------------------------------------------------- cover

async function openCover(duty) {
  state.current = duty;
  $("#cover-error").hidden = true;
  $("#cover-reason").value = "";
  $("#cover-duty").textContent = `${t("swap.mine")}${t("common.colon")}${dutyText(duty, state.names, { officer: false })}`;
  const list = $("#cover-list");
  list.innerHTML = `<li class="muted">${esc(t("common.loading"))}</li>`;
  openDialog($("#cover-dialog"));
  try {
    const cover = await api("/cover", { query: ref(duty) });
    list.innerHTML = coverRows(cover.candidates, state.names, state.cat) || `<li class="muted">${esc(t("cover.none"))}</li>`;
  } catch (error) {
    list.innerHTML = `<li class="warn">${esc(error.message)}</li>`;
  }
}

async function submitCover(event) {
  event.preventDefault();
  const error = $("#cover-error");
  const chosen = picked("#cover-list", error, "cover.pickOne");
  if (!chosen) return;
  await send(
    { kind: "cover", duty: ref(state.current), to_officer: chosen.value, reason: $("#cover-reason").value.trim() },
    $("#cover-dialog"),
    error,
    t("cover.sent"),
  );
}

// --------------------------------------------------------------------------- leave

function openLeave() {
  $("#leave-error").hidden = true;
  $("#leave-reason").value = "";
  const next = addDays(state.now.slice(0, 10), 1);
  $("#leave-start").value = `${next}T00:00`;
  $("#leave-end").value = `${addDays(next, 1)}T00:00`;
  showAffected();
  openDialog($("#leave-dialog"));
}

function showAffected() {
  const start = $("#leave-start").value;
  const end = $("#leave-end").value;
  const hit = state.duties.filter((d) => start && end && localStart(d) < end && localEnd(d) > start);
  $("#leave-affected").innerHTML = hit.length
    ? `<p>${esc(t("leave.affected", { n: hit.length }))}</p><ul>${hit.map((d) => `<li>${esc(dutyText(d, state.names, { officer: false }))}</li>`).join("")}</ul>`
    : `<p class="muted">${esc(t("leave.noDuties"))}</p>`;
}

async function submitLeave(event) {
  event.preventDefault();
  const error = $("#leave-error");
  const start = $("#leave-start").value;
  const end = $("#leave-end").value;
  if (!start || !end || end <= start) {
    error.textContent = t("leave.badSpan");
    error.hidden = false;
    return;
  }
  await send(
    { kind: "leave", officer: state.me.id, start, end, reason: $("#leave-reason").value.trim() },
    $("#leave-dialog"),
    error,
    t("leave.sent"),
  );
}

async function send(body, dialog, error, done) {
  const button = dialog.querySelector("button[type=submit]");
  button.disabled = true;
  error.hidden = true;
  try {
    const change = await api("/changes", { method: "POST", body });
    dialog.close();
    if (change.check && !change.check.ok) {
      const rules = [...new Set(change.check.violations.map((v) => ruleName(v.rule)))].join("、");
      flash(t("swap.sentBad", { n: change.check.violations.length, rules }), "error");
    } else flash(done, "ok");
    await loadChanges();
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

// --------------------------------------------------------------------------- my requests

async function loadChanges() {
  const page = await api("/changes", { query: { limit: 100 } });
  const changes = page.items;
  const incoming = changes.filter(
    (c) => c.kind === "swap" && c.status === "submitted" && c.payload.with_duty && c.payload.with_duty.officer === state.me.id,
  );
  const mine = changes.filter((c) => !incoming.includes(c));
  $("#incoming-card").hidden = !incoming.length;
  $("#incoming").innerHTML = incoming
    .map(
      (c) =>
        `<article class="request" data-change="${c.id}"><header><h3>${esc(t("me.askedBy", { who: state.names.officer(c.payload.duty.officer) }))}</h3>${statusBadge(c.status)}</header><p>${esc(describe(c, state.names))}</p>${c.reason ? `<p class="small">${esc(t("form.reason"))}${esc(t("common.colon"))}${esc(c.reason)}</p>` : ""}${checkHtml(c.check, state.names)}<div class="actions"><button type="button" class="ghost" data-decline="${c.id}">${esc(t("me.decline"))}</button><button type="button" class="primary" data-accept="${c.id}">${esc(t("me.accept"))}</button></div></article>`,
    )
    .join("");
  $("#my-changes").innerHTML = mine.length
    ? mine
        .map((c) => {
          const own = c.requested_by.username === state.user.username;
          const withdraw = own && OPEN.includes(c.status) ? `<button type="button" class="ghost small" data-withdraw="${c.id}">${esc(t("me.withdraw"))}</button>` : "";
          const waiting = c.kind === "swap" && c.status === "submitted" ? `<p class="muted small">${esc(t("me.waitingPartner"))}</p>` : "";
          const decision = c.decision_reason ? `<p class="small">${esc(t("change.decision"))}${esc(t("common.colon"))}${esc(c.decision_reason)}</p>` : "";
          const broken = c.check && !c.check.ok && OPEN.includes(c.status) ? checkHtml(c.check, state.names) : "";
          return `<article class="request"><header><h3>${esc(t(`change.${c.kind}`))} #${c.id}</h3>${statusBadge(c.status)}<span class="muted small">${esc(fmtUtc(c.created_at))}</span></header><p>${esc(describe(c, state.names))}</p>${broken}${waiting}${decision}${stepsHtml(c)}<div class="actions">${withdraw}</div></article>`;
        })
        .join("")
    : `<p class="muted">${esc(t("me.noRequests"))}</p>`;
}

async function act(path, message, body) {
  try {
    await api(path, { method: "POST", body });
    flash(message, "ok");
  } catch (error) {
    showError(error);
  }
  await loadChanges();
}

// --------------------------------------------------------------------------- calendar

function renderFeed(url) {
  const issued = state.me.calendar_feed || Boolean(url);
  $("#feed").hidden = !url;
  if (url) $("#feed-url").value = url;
  $("#feed-state").textContent = url ? t("me.feedNew") : issued ? t("me.feedIssued") : t("me.feedNone");
  $("#feed-button").textContent = issued ? t("me.feedReplace") : t("me.feedIssue");
  $("#feed-revoke").hidden = !issued;
}

async function issueFeed() {
  if (state.me.calendar_feed && !confirm(t("me.feedReplaceConfirm"))) return;
  try {
    const feed = await api(`/officers/${encodeURIComponent(state.me.id)}/calendar-feed`, { method: "POST" });
    state.me.calendar_feed = true;
    renderFeed(feed.url);
  } catch (error) {
    showError(error);
  }
}

async function revokeFeed() {
  if (!confirm(t("me.feedRevokeConfirm"))) return;
  try {
    await api(`/officers/${encodeURIComponent(state.me.id)}/calendar-feed`, { method: "DELETE" });
    state.me.calendar_feed = false;
    renderFeed(null);
  } catch (error) {
    showError(error);
  }
}

// --------------------------------------------------------------------------- start

startPage(async (user) => {
  state.user = user;
  if (!user.officer_id) {
    $("#notifications").hidden = true;
    $("#duties").innerHTML = `<p class="notice">${esc(t("me.noOfficer"))}</p>`;
    return;
  }
  wireWeekSheets($("#week-sheets"), user.officer_id);
  const [cat, posts, me] = await Promise.all([loadCatalogue(), apiAll("/posts"), api(`/officers/${encodeURIComponent(user.officer_id)}`)]);
  state.cat = cat;
  state.posts = Object.fromEntries(posts.map((p) => [p.id, p]));
  state.me = me;
  state.now = nowLocal(cat.settings.timezone);
  $("#me-who").textContent = `${me.name} · ${me.id} · ${cat.unitName[me.unit] || me.unit} · ${t("me.nowIs", { now: nowText(state.now) })}`;
  renderFeed(null);
  $("#duties").addEventListener("click", (event) => {
    const swap = event.target.closest("[data-swap]");
    const cover = event.target.closest("[data-cover]");
    if (swap) openSwap(state.duties[Number(swap.dataset.swap)]).catch(showError);
    if (cover) openCover(state.duties[Number(cover.dataset.cover)]).catch(showError);
  });
  $("#swap-list").addEventListener("change", (event) => {
    if (event.target.name === "with") state.swapChoice = event.target.dataset.key;
  });
  $("#swap-day").addEventListener("change", renderSwapList);
  $("#swap-q").addEventListener("input", renderSwapList);
  $("#swap-form").addEventListener("submit", submitSwap);
  $("#cover-form").addEventListener("submit", submitCover);
  $("#leave-form").addEventListener("submit", submitLeave);
  $("#leave-button").addEventListener("click", openLeave);
  $("#leave-start").addEventListener("change", showAffected);
  $("#leave-end").addEventListener("change", showAffected);
  $("#feed-button").addEventListener("click", issueFeed);
  $("#feed-revoke").addEventListener("click", revokeFeed);
  $("#feed-copy").addEventListener("click", async () => {
    $("#feed-url").select();
    try {
      await navigator.clipboard.writeText($("#feed-url").value);
      flash(t("me.copied"), "ok");
    } catch {
      document.execCommand("copy");
    }
  });
  document.body.addEventListener("click", (event) => {
    const accept = event.target.closest("[data-accept]");
    const withdraw = event.target.closest("[data-withdraw]");
    const decline = event.target.closest("[data-decline]");
    if (accept) act(`/changes/${accept.dataset.accept}/accept`, t("me.accepted"));
    if (decline) {
      const reason = prompt(t("me.declineReason"));
      if (reason && reason.trim()) act(`/changes/${decline.dataset.decline}/reject`, t("me.declined"), { reason: reason.trim() });
    }
    if (withdraw && confirm(t("me.withdrawConfirm"))) act(`/changes/${withdraw.dataset.withdraw}/withdraw`, t("me.withdrawn"));
  });
  await loadDuties();
  loadGroup().catch(showError);
  wireNotifications(state.names);
  await loadNotifications(state.names).catch(showError);
  api(`/officers/${encodeURIComponent(me.id)}/owed-rest`)
    .then((owed) => {
      if (!owed.balance && !owed.history.length) return;
      $("#owed-balance").textContent = t("owed.balance", { n: owed.balance, by: owed.deadline || t("common.none") });
      $("#owed-history").innerHTML = owed.history
        .map((e) => {
          const vars = { start: e.start, end: addDays(e.end, -1), n: e.days, hours: Math.round(e.minutes_over / 6) / 10 };
          return `<li data-kind="${esc(e.kind)}">${esc(t(`owed.${e.kind}`, vars))}</li>`;
        })
        .join("");
      $("#owed-rest").hidden = false;
    })
    .catch(() => {}); // the balance helps; the page works without it
  try {
    await loadChanges();
  } catch (error) {
    $("#my-changes").innerHTML = `<p class="muted">${esc(t("me.changesUnavailable"))}</p>`;
    if (error.status !== 404) showError(error);
  }
});

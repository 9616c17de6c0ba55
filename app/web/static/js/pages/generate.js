// Generate a roster: pick units and horizon, start a job, watch its objective and bound live
// (the job's server-sent events, read with fetch so the token can go in a header), then review
// the draft (coverage, score, fairness per unit) and publish it.
import {
  $,
  api,
  apiAll,
  auth,
  esc,
  flash,
  fmtDay,
  fmtUtc,
  getLang,
  loadCatalogue,
  params,
  SCORE_TERMS,
  shortfallReason,
  showError,
  slotGaps,
  startPage,
  t,
} from "../app.js";
import { lineChart } from "../chart.js";

const ACTIVE = ["queued", "running"];
const state = { user: null, cat: null, skills: {}, samples: [], job: null, watching: null };

// --------------------------------------------------------------------------- the form

function allowedUnits() {
  if (state.user.role === "admin") return state.cat.units.map((u) => u.id);
  return state.user.units;
}

function renderForm() {
  const allowed = new Set(allowedUnits());
  $("#units").innerHTML = state.cat.units
    .map((u) => {
      const ok = allowed.has(u.id);
      return `<label class="check${ok ? "" : " disabled"}"${ok ? "" : ` title="${esc(t("gen.notYourUnit"))}"`}><input type="checkbox" name="unit" value="${esc(u.id)}"${ok ? " checked" : " disabled"}> ${esc(u.name)}</label>`;
    })
    .join("");
  const horizon = state.cat.settings.horizon;
  $("#start").value = horizon ? horizon.start : "";
  $("#days").value = horizon ? horizon.days : 7;
}

async function submit(event) {
  event.preventDefault();
  const units = Array.from(document.querySelectorAll("input[name=unit]:checked")).map((i) => i.value);
  if (!units.length) {
    flash(t("gen.pickUnit"));
    return;
  }
  const body = { start: $("#start").value, days: Number($("#days").value), units };
  const limit = $("#time-limit").value;
  if (limit) body.time_limit = Number(limit);
  const button = $("#start-job");
  button.disabled = true;
  try {
    const job = await api("/jobs", { method: "POST", body });
    params.set({ job: job.id });
    $("#review-card").hidden = true;
    await watch(job.id);
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

// --------------------------------------------------------------------------- watching a job

function number(value) {
  return value === null || value === undefined ? "–" : value.toLocaleString("en-US");
}

/** The job's lower bound, or null when it has none worth the name. */
function knownBound(job) {
  if (job.bound === null || job.bound === undefined) return null;
  return job.bound <= 0 && job.objective > 0 ? null : job.bound;
}

function phaseText(phase) {
  const part = /^part (\d+)\/(\d+)$/.exec(phase);
  if (part) return t("gen.phase.part", { i: part[1], n: part[2] });
  const known = { done: "gen.phase.done", "first roster": "gen.phase.first", improving: "gen.phase.improving" };
  return known[phase] ? t(known[phase]) : phase;
}

/** The job's message: said in the page's language when it is the usual one, else as the server has it. */
function messageText(job) {
  if (job.status === "succeeded" && job.roster_id) return t("gen.stored", { id: job.roster_id });
  if (job.status === "cancelled" && job.roster_id) return t("gen.stoppedKept", { id: job.roster_id });
  return job.message || "";
}

function solverText(status) {
  const key = `solver.${status}`;
  const text = t(key);
  return text === key ? status : text;
}

function update(job) {
  const statusChanged = !state.job || state.job.id !== job.id || state.job.status !== job.status;
  state.job = job;
  if (statusChanged) loadJobs().catch(showError);
  $("#job-card").hidden = false;
  $("#job-id").textContent = job.id;
  const badge = $("#job-status");
  badge.textContent = t(`job.${job.status}`);
  badge.className = `badge ${job.status}`;
  $("#job-elapsed").textContent = `${job.elapsed.toFixed(1)} s / ${job.time_limit} s`;
  $("#job-objective").textContent = number(job.objective);
  // a bound of 0 under a positive objective proves nothing (a part whose search found no bound
  // reports 0): it is shown as unknown, not as a 100 % gap
  const bound = knownBound(job);
  $("#job-bound").textContent = bound === null ? t("gen.boundUnknown") : number(bound);
  const gap =
    job.objective !== null && bound !== null
      ? `${((100 * (job.objective - bound)) / Math.max(1, Math.abs(job.objective))).toFixed(1)} %`
      : "–";
  $("#job-gap").textContent = gap;
  $("#job-phase").textContent = job.phase ? `${t("gen.phase")}${t("common.colon")}${phaseText(job.phase)}` : "";
  $("#job-message").textContent = messageText(job);
  $("#time-bar").style.width = `${Math.min(100, (100 * job.elapsed) / job.time_limit)}%`;
  $("#cancel-job").hidden = !ACTIVE.includes(job.status);
  const last = state.samples[state.samples.length - 1];
  if (job.objective !== null && (!last || last.t !== job.elapsed)) {
    state.samples.push({ t: job.elapsed, objective: job.objective, bound: knownBound(job) });
  }
  drawChart(job);
}

function drawChart(job) {
  // the curve is what this page saw while the job ran; a job looked up afterwards has none
  const seen = ACTIVE.includes(job.status) || state.samples.length > 1 ? state.samples : [];
  lineChart(
    $("#chart"),
    [
      { cls: "objective", step: true, points: seen.map((s) => [s.t, s.objective]) },
      { cls: "bound", step: true, points: seen.filter((s) => s.bound !== null).map((s) => [s.t, s.bound]) },
    ],
    {
      xMax: job.time_limit,
      xLabel: t("gen.seconds"),
      empty: ACTIVE.includes(job.status) ? t("gen.waiting") : t("gen.noCurve"),
    },
  );
}

/** Follow GET /jobs/{id}/events until `end`; resolves when the job has finished. */
async function stream(jobId) {
  const response = await fetch(`/jobs/${jobId}/events`, {
    headers: { Authorization: `Bearer ${auth.token}`, Accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trim());
      }
      if (name === "progress") update(JSON.parse(data.join("\n")));
      if (name === "end") {
        reader.cancel();
        return;
      }
    }
  }
}

async function poll(jobId) {
  for (;;) {
    const job = await api(`/jobs/${jobId}`);
    update(job);
    if (!ACTIVE.includes(job.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function watch(jobId) {
  state.watching = jobId;
  state.samples = [];
  const job = await api(`/jobs/${jobId}`);
  update(job);
  if (ACTIVE.includes(job.status)) {
    try {
      await stream(jobId);
    } catch {
      await poll(jobId);
    }
  }
  if (state.watching !== jobId) return;
  const done = await api(`/jobs/${jobId}`);
  update(done);
  await loadJobs();
  if (done.roster_id) await review(done.roster_id);
  else if (done.status !== "cancelled") flash(`${t(`job.${done.status}`)}${t("common.colon")}${done.message}`);
}

// --------------------------------------------------------------------------- reviewing the draft

function fairness(roster, duties, officers) {
  const night = new Set(state.cat.shifts.filter((s) => s.night).map((s) => s.id));
  const count = {};
  for (const o of officers) count[o.id] = { unit: o.unit, duties: 0, nights: 0 };
  for (const d of duties) {
    const c = count[d.officer];
    if (!c) continue;
    c.duties += 1;
    if (night.has(d.shift)) c.nights += 1;
  }
  return roster.units
    .map((unit) => {
      const rows = Object.values(count).filter((c) => c.unit === unit);
      if (!rows.length) return null;
      const ds = rows.map((r) => r.duties);
      const ns = rows.map((r) => r.nights);
      const total = ds.reduce((a, b) => a + b, 0);
      return {
        unit,
        officers: rows.length,
        dutiesMin: Math.min(...ds),
        dutiesMax: Math.max(...ds),
        nightsMin: Math.min(...ns),
        nightsMax: Math.max(...ns),
        mean: total / rows.length,
      };
    })
    .filter(Boolean);
}

async function review(rosterId) {
  const [roster, score, duties, posts, officers, stored, needs] = await Promise.all([
    api(`/rosters/${rosterId}`),
    api(`/rosters/${rosterId}/score`, { query: { limit: 1000 } }),
    apiAll(`/rosters/${rosterId}/duties`),
    apiAll("/posts"),
    apiAll("/officers"),
    apiAll(`/rosters/${rosterId}/shortfalls`),
    api(`/rosters/${rosterId}/needs`),
  ]);
  const units = new Set(roster.units);
  // the slots as the draft was solved for (a declared duty level or a coverage change included)
  const slots = needs.slots.length;
  const required = needs.slots.reduce((sum, n) => sum + n.min, 0);
  const needOf = Object.fromEntries(needs.slots.map((n) => [`${n.post}|${n.date}|${n.shift}`, n]));
  const postById = Object.fromEntries(posts.map((p) => [p.id, p]));
  const skillsOf = Object.fromEntries(officers.map((o) => [o.id, o.skills]));
  const onSlot = {};
  for (const d of duties) (onSlot[`${d.post}|${d.date}|${d.shift}`] ||= []).push(skillsOf[d.officer] || []);
  const solverReasons = {};
  for (const f of stored) {
    const text = shortfallReason(f);
    if (text) solverReasons[`${f.post}|${f.date}|${f.shift}`] = text;
  }
  const shortTerm = score.terms.find((x) => x.term === "shortfall");
  const shortList = (shortTerm ? shortTerm.contributions : [])
    .map((c) => {
      const post = postById[c.post];
      const shift = state.cat.shiftById[c.shift];
      const needed = needOf[`${c.post}|${c.date}|${c.shift}`] || null;
      const gaps = slotGaps(needed, onSlot[`${c.post}|${c.date}|${c.shift}`] || []);
      const text =
        getLang() === "en" || !gaps.length
          ? c.detail
          : gaps
              .map((g) =>
                g.skill ? t("gen.gapSkill", { n: g.missing, skill: state.skills[g.skill] || g.skill }) : t("gen.gapPeople", { n: g.missing }),
              )
              .join(t("common.sep"));
      const why = solverReasons[`${c.post}|${c.date}|${c.shift}`];
      return `<li><strong>${esc(post ? post.name : c.post)}</strong> · ${esc(fmtDay(c.date))} ${esc(shift ? shift.name : c.shift)} — ${esc(text)}${why ? `<br><span class="muted">${esc(why)}</span>` : ""}</li>`;
    })
    .join("");
  const scoreRows = SCORE_TERMS.map(
    (term) => `<tr><th>${esc(t(`term.${term}`))}</th><td class="num">${number(roster.score ? roster.score[term] : null)}</td></tr>`,
  ).join("");
  const fair = fairness(roster, duties, officers.filter((o) => units.has(o.unit)))
    .map(
      (f) =>
        `<tr><th>${esc(state.cat.unitName[f.unit] || f.unit)}</th><td class="num">${f.officers}</td><td class="num">${f.mean.toFixed(1)}</td><td class="num">${f.dutiesMin}–${f.dutiesMax}</td><td class="num">${f.nightsMin}–${f.nightsMax}</td></tr>`,
    )
    .join("");
  $("#review-title").textContent = `#${roster.id} · ${roster.start} +${roster.days}${t("common.days")}`;
  const badge = $("#review-status");
  badge.textContent = t(`status.${roster.status}`);
  badge.className = `badge ${roster.status}`;
  const coverageOk = roster.shortfalls === 0;
  $("#review").innerHTML = `
    <div class="columns three">
      <div>
        <h3>${esc(t("gen.coverage"))}</h3>
        <dl class="facts">
          <dt>${esc(t("gen.slots"))}</dt><dd>${slots}</dd>
          <dt>${esc(t("gen.required"))}</dt><dd>${required}</dd>
          <dt>${esc(t("gen.assigned"))}</dt><dd>${roster.assignments}</dd>
          <dt>${esc(t("gen.shortSlots"))}</dt><dd class="${coverageOk ? "ok" : "warn"}">${roster.shortfalls}</dd>
          <dt>${esc(t("gen.solver"))}</dt><dd>${esc(solverText(roster.solver_status))} · ${roster.solve_seconds === null ? "" : `${roster.solve_seconds.toFixed(1)} s`}</dd>
          <dt>${esc(t("gen.objective"))} / ${esc(t("gen.bound"))}</dt><dd>${number(roster.objective)} / ${knownBound(roster) === null ? esc(t("gen.boundUnknown")) : number(roster.bound)}</dd>
          <dt>${esc(t("gen.checked"))}</dt><dd class="${score.matches_solver && !score.violations.length ? "ok" : "warn"}">${esc(score.violations.length ? t("gen.violations", { n: score.violations.length }) : t("gen.noViolations"))}</dd>
        </dl>
      </div>
      <div>
        <h3>${esc(t("gen.score"))}</h3>
        <table class="list compact-table"><tbody>${scoreRows}<tr class="total"><th>${esc(t("term.total"))}</th><td class="num">${number(roster.score ? roster.score.total : null)}</td></tr></tbody></table>
        <p class="muted small">${esc(t("gen.scoreNote"))}</p>
      </div>
      <div>
        <h3>${esc(t("gen.fairness"))}</h3>
        <div class="table-scroll"><table class="list compact-table"><thead><tr><th>${esc(t("gen.unit"))}</th><th>${esc(t("gen.officers"))}</th><th>${esc(t("gen.mean"))}</th><th>${esc(t("gen.dutiesRange"))}</th><th>${esc(t("gen.nightsRange"))}</th></tr></thead><tbody>${fair}</tbody></table></div>
        <p class="muted small">${esc(t("gen.fairnessNote"))}</p>
      </div>
    </div>
    ${shortList ? `<h3>${esc(t("gen.shortList"))}</h3><ul class="short-list">${shortList}</ul>` : `<p class="ok">${esc(t("gen.allStaffed"))}</p>`}
    ${roster.conflicts.length ? `<p class="warn">${esc(roster.conflicts.join("; "))}</p>` : ""}`;
  const grid = $("#open-grid");
  grid.href =
    roster.status === "published" ? `/ui/roster?start=${roster.start}` : `/ui/roster?roster=${roster.id}&start=${roster.start}`;
  const publish = $("#publish");
  publish.hidden = roster.status !== "draft";
  publish.onclick = async () => {
    publish.disabled = true;
    try {
      await api(`/rosters/${roster.id}/publish`, { method: "POST" });
      flash(t("roster.publishedOk", { id: roster.id }), "ok");
      await review(roster.id);
    } catch (error) {
      showError(error);
    } finally {
      publish.disabled = false;
    }
  };
  $("#review-card").hidden = false;
}

// --------------------------------------------------------------------------- recent jobs

async function loadJobs() {
  const page = await api("/jobs", { query: { limit: 10 } });
  const head = ["gen.job", "gen.statusCol", "gen.horizon", "gen.units", "gen.objective", "gen.created", ""]
    .map((k) => `<th>${k ? esc(t(k)) : ""}</th>`)
    .join("");
  const rows = page.items
    .map((job) => {
      const units =
        job.units.length === state.cat.units.length ? t("gen.every") : job.units.map((u) => state.cat.unitName[u] || u).join("、");
      return `<tr><td>#${job.id}</td><td><span class="badge ${job.status}">${esc(t(`job.${job.status}`))}</span></td><td>${esc(job.start)} +${job.days}${esc(t("common.days"))}</td><td>${esc(units)}</td><td class="num">${number(job.objective)}</td><td>${esc(fmtUtc(job.created_at))}</td><td><button type="button" class="ghost small" data-job="${job.id}">${esc(t(job.roster_id ? "gen.reviewButton" : "gen.show"))}</button></td></tr>`;
    })
    .join("");
  $("#jobs").innerHTML = page.items.length
    ? `<thead><tr>${head}</tr></thead><tbody>${rows}</tbody>`
    : `<tbody><tr><td class="muted">${esc(t("gen.noJobs"))}</td></tr></tbody>`;
}

startPage(async (user) => {
  state.user = user;
  const [cat, skills] = await Promise.all([loadCatalogue(), apiAll("/skills")]);
  state.cat = cat;
  state.skills = Object.fromEntries(skills.map((k) => [k.id, k.name]));
  renderForm();
  $("#gen-form").addEventListener("submit", submit);
  $("#all-units").addEventListener("click", () => {
    for (const box of document.querySelectorAll("input[name=unit]:not(:disabled)")) box.checked = true;
  });
  $("#cancel-job").addEventListener("click", async () => {
    if (!state.job) return;
    try {
      update(await api(`/jobs/${state.job.id}/cancel`, { method: "POST" }));
    } catch (error) {
      showError(error);
    }
  });
  $("#jobs").addEventListener("click", (event) => {
    const button = event.target.closest("[data-job]");
    if (!button) return;
    params.set({ job: button.dataset.job });
    $("#review-card").hidden = true;
    watch(Number(button.dataset.job)).catch(showError);
  });
  await loadJobs();
  const jobId = Number(params.get("job"));
  if (jobId) await watch(jobId);
});

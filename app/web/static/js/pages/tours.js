// Inspection tours (督导检查): plan the week's tours from the published roster (a tour job),
// then per day a map of the posts at their coordinates (inline SVG, no tiles: the machines are
// offline) with each supervisor's route in its own colour, the table of visits, the checkpoints
// not reached with the reason, and a printable day sheet per supervisor.
import { $, $$, api, apiAll, auth, esc, flash, fmtDay, hm, loadCatalogue, params, showError, startPage, t } from "../app.js";

const COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const SVG = "http://www.w3.org/2000/svg";
const state = { user: null, posts: [], plan: null, job: null, timer: null };

const staff = () => state.user && state.user.role !== "officer";

function colourOf(supervisor) {
  const i = state.plan.supervisors.findIndex((s) => s.id === supervisor);
  return COLOURS[(i < 0 ? 0 : i) % COLOURS.length];
}

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An equirectangular projection of the points into a 1000-wide view box, north up. */
function projection(points) {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const [s, n, w, e] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const kx = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const spanX = Math.max((e - w) * kx, 0.01);
  const spanY = Math.max(n - s, 0.01);
  const width = 1000;
  const pad = 40;
  const scale = (width - 2 * pad) / Math.max(spanX, spanY * 1.25);
  const height = Math.round(spanY * scale + 2 * pad);
  return {
    width,
    height,
    xy: (p) => [pad + (p.lon - w) * kx * scale, pad + (n - p.lat) * scale],
  };
}

function drawMap(day) {
  const svg = $("#tour-map");
  svg.replaceChildren();
  const plan = state.plan;
  const located = state.posts.filter((p) => p.location).map((p) => ({ ...p, ...p.location }));
  const depots = plan ? plan.depots : [];
  const points = [...located, ...depots];
  if (!points.length) return;
  const proj = projection(points);
  svg.setAttribute("viewBox", `0 0 ${proj.width} ${proj.height}`);
  svg.append(el("rect", { x: 0, y: 0, width: proj.width, height: proj.height, class: "map-bg" }));
  const sites = new Map((plan ? plan.sites : []).map((s) => [s.id, s]));
  const places = new Map([...located.map((p) => [p.id, p]), ...depots.map((d) => [d.id, d])]);
  const routes = plan ? plan.routes.filter((r) => r.date === day) : [];
  for (const r of routes) {
    const stops = [r.depot, ...r.visits.map((v) => v.site)];
    if (!r.interrupted) stops.push(r.depot);
    const xy = stops.map((id) => proj.xy(places.get(id) || sites.get(id)));
    svg.append(
      el("polyline", {
        points: xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "),
        class: "route",
        stroke: colourOf(r.supervisor),
        "data-supervisor": r.supervisor,
      }),
    );
  }
  const visited = new Map();
  for (const r of routes) r.visits.forEach((v, i) => visited.set(v.site, { r, n: i + 1 }));
  for (const p of located) {
    const [x, y] = proj.xy(p);
    const checkpoint = p.kind === "checkpoint";
    const seen = visited.get(p.id);
    const dot = el("circle", {
      cx: x.toFixed(1),
      cy: y.toFixed(1),
      r: checkpoint ? 6 : 2.5,
      class: `post ${p.kind}${seen ? " visited" : ""}`,
      "data-post": p.id,
    });
    if (seen) dot.setAttribute("fill", colourOf(seen.r.supervisor));
    dot.append(el("title", {}, `${p.name} (${p.id})${seen ? ` · ${hm(seen.r.visits[seen.n - 1].arrival)}` : ""}`));
    svg.append(dot);
    if (checkpoint) svg.append(el("text", { x: (x + 8).toFixed(1), y: (y + 4).toFixed(1), class: "label" }, p.name));
  }
  for (const d of depots) {
    const [x, y] = proj.xy(d);
    const star = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
      .map((i) => {
        const a = (Math.PI / 5) * i - Math.PI / 2;
        const rad = i % 2 ? 5 : 12;
        return `${(x + rad * Math.cos(a)).toFixed(1)},${(y + rad * Math.sin(a)).toFixed(1)}`;
      })
      .join(" ");
    const node = el("polygon", { points: star, class: "depot", "data-depot": d.id });
    node.append(el("title", {}, d.name));
    svg.append(node);
    svg.append(el("text", { x: (x + 14).toFixed(1), y: (y + 4).toFixed(1), class: "label depot-label" }, t("tours.hq")));
  }
}

function drawLegend(day) {
  const plan = state.plan;
  const list = $("#tour-legend");
  list.replaceChildren();
  if (!plan) return;
  for (const s of plan.supervisors) {
    if (!staff() && s.id !== state.user.officer_id) continue;
    const routes = plan.routes.filter((r) => r.date === day && r.supervisor === s.id);
    const visits = routes.reduce((n, r) => n + r.visits.length, 0);
    const li = document.createElement("li");
    li.innerHTML = `<i class="swatch" style="background:${colourOf(s.id)}"></i> ${esc(s.name)} <small class="muted">${esc(s.id)}</small> · ${routes.length ? `${visits} · ${routes.map((r) => `${hm(r.start)}–${hm(r.end)}`).join(", ")}` : esc(t("tours.noRoute"))} `;
    const print = document.createElement("button");
    print.type = "button";
    print.className = "link print-sheet";
    print.dataset.supervisor = s.id;
    print.textContent = t("tours.print");
    print.addEventListener("click", () => printSheet(s.id, day));
    li.append(print);
    list.append(li);
  }
}

async function printSheet(supervisor, day) {
  const html = await api(`/tours/${state.plan.id}/sheet.html`, { query: { supervisor, date: day } });
  const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
  window.open(url, "_blank");
}

function drawTables(day) {
  const plan = state.plan;
  const names = new Map(plan.sites.map((s) => [s.id, s.name]));
  const people = new Map(plan.supervisors.map((s) => [s.id, s.name]));
  const rows = [];
  for (const r of plan.routes.filter((x) => x.date === day).sort((a, b) => a.start.localeCompare(b.start))) {
    r.visits.forEach((v, i) => {
      rows.push(
        `<tr data-supervisor="${esc(r.supervisor)}"><td><i class="swatch" style="background:${colourOf(r.supervisor)}"></i> ${esc(people.get(r.supervisor) || r.supervisor)}</td><td>${i + 1}</td><td>${esc(names.get(v.site) || v.site)}</td><td>${hm(v.arrival)}</td><td>${hm(v.departure)}</td></tr>`,
      );
    });
  }
  $("#tour-visits").innerHTML = rows.length
    ? `<thead><tr><th>${esc(t("tours.col.supervisor"))}</th><th>${esc(t("tours.col.order"))}</th><th>${esc(t("tours.col.checkpoint"))}</th><th>${esc(t("tours.col.arrival"))}</th><th>${esc(t("tours.col.departure"))}</th></tr></thead><tbody>${rows.join("")}</tbody>`
    : `<tbody><tr><td class="muted">${esc(t("tours.noVisits"))}</td></tr></tbody>`;
  const missed = plan.missed.filter((m) => m.date === day);
  $("#tour-missed").innerHTML = missed.length
    ? `<thead><tr><th>${esc(t("tours.col.date"))}</th><th>${esc(t("tours.col.checkpoint"))}</th><th>${esc(t("tours.col.requirement"))}</th><th>${esc(t("tours.col.reason"))}</th></tr></thead><tbody>${missed
        .map(
          (m) =>
            `<tr data-reason="${esc(m.reason)}"><td>${esc(fmtDay(m.date))}</td><td>${esc(names.get(m.requirement.site) || m.requirement.site)}</td><td>${esc(t(`tours.req.${m.requirement.kind}`))} ${esc(m.requirement.first)} … ${esc(m.requirement.deadline)}</td><td>${esc(t(`tours.reason.${m.reason}`))}</td></tr>`,
        )
        .join("")}</tbody>`
    : `<tbody><tr><td class="muted">${esc(t("tours.allReached"))}</td></tr></tbody>`;
}

function showDay() {
  const day = $("#day-select").value;
  if (state.plan) params.set({ plan: state.plan.id, day });
  drawMap(day);
  if (!state.plan) return;
  drawLegend(day);
  drawTables(day);
}

async function loadPlan(id) {
  state.plan = await api(`/tours/${id}`);
  const p = state.plan;
  const v = p.version;
  $("#plan-summary").textContent = t("tours.summary", {
    version: v.version,
    visits: v.visits,
    minutes: v.drive_minutes,
    km: v.km.toFixed(0),
    share: `${Math.round(v.share_met * 100)}%`,
  });
  const wanted = params.get("day");
  $("#day-select").innerHTML = p.dates.map((d) => `<option value="${d}">${esc(fmtDay(d))}</option>`).join("");
  if (p.dates.includes(wanted)) $("#day-select").value = wanted;
  showDay();
}

async function loadPlans(selected) {
  const plans = (await api("/tours", { query: { limit: 50 } })).items.filter((p) => p.latest_version > 0);
  $("#plan-select").innerHTML = plans
    .map((p) => `<option value="${p.id}">${esc(t("tours.planOption", { id: p.id, start: p.start, days: p.days, version: p.latest_version }))}</option>`)
    .join("");
  if (!plans.length) {
    $("#plan-summary").textContent = t("tours.none");
    state.plan = null;
    showDay();
    return;
  }
  const id = selected || Number(params.get("plan")) || plans[0].id;
  $("#plan-select").value = String(plans.some((p) => p.id === id) ? id : plans[0].id);
  await loadPlan($("#plan-select").value);
}

function showJob(job) {
  state.job = job;
  $("#tour-job").hidden = false;
  $("#tour-job-id").textContent = job.id;
  const badge = $("#tour-job-status");
  badge.textContent = t(`job.${job.status}`);
  badge.className = `badge ${job.status}`;
  $("#tour-job-progress").textContent = t("tours.progress", { done: job.days_done, total: job.days_total });
  $("#tour-job-message").textContent = job.message;
  $("#tour-cancel").hidden = !["queued", "running"].includes(job.status);
}

async function poll(id) {
  clearTimeout(state.timer);
  const job = await api(`/tour-jobs/${id}`);
  showJob(job);
  if (["queued", "running"].includes(job.status)) {
    state.timer = setTimeout(() => poll(id).catch(showError), 700);
    return;
  }
  if (job.status === "succeeded") {
    flash(t("tours.done", { version: job.version }), "ok");
    await loadPlans(job.plan_id);
  }
}

async function planWeek(event) {
  event.preventDefault();
  const ids = $("#tour-supervisors")
    .value.split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const body = { start: $("#tour-start").value, days: Number($("#tour-days").value) };
  if (ids.length) body.supervisors = ids;
  try {
    const job = await api("/tours", { method: "POST", body });
    flash(t("tours.queued", { id: job.id }), "info");
    showJob(job);
    await poll(job.id);
  } catch (error) {
    showError(error);
  }
}

async function exportXlsx() {
  const response = await fetch(`/tours/${state.plan.id}/export.xlsx`, {
    headers: { Authorization: `Bearer ${auth.token}` },
  });
  if (!response.ok) return flash(`${t("error.prefix")}${response.status}`);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `tours-${state.plan.id}-v${state.plan.version.version}.xlsx`;
  link.click();
}

startPage(async (user) => {
  state.user = user;
  for (const node of $$("[data-staff-only]")) node.hidden = !staff();
  const [cat, posts] = await Promise.all([loadCatalogue(), apiAll("/posts")]);
  state.posts = posts;
  $("#tour-start").value = (cat.settings.horizon && cat.settings.horizon.start) || "";
  $("#tour-form").addEventListener("submit", planWeek);
  $("#tour-cancel").addEventListener("click", async () => {
    if (state.job) showJob(await api(`/tour-jobs/${state.job.id}/cancel`, { method: "POST" }));
  });
  $("#plan-select").addEventListener("change", () => loadPlan($("#plan-select").value).catch(showError));
  $("#day-select").addEventListener("change", showDay);
  $("#export-xlsx").addEventListener("click", () => exportXlsx().catch(showError));
  await loadPlans();
});

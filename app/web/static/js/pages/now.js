// On duty now: per post, who is on duty at this moment or at a chosen time (the detachment's
// local time). Posts that should be staffed at that time but have nobody are listed first.
import {
  $,
  addDays,
  api,
  apiAll,
  coversDay,
  esc,
  fmtDay,
  hm,
  kindName,
  loadCatalogue,
  nowLocal,
  params,
  startPage,
  t,
} from "../app.js";

// needs: "post|date" → [{shift, min}] as the roster published for that unit and day was solved for
// (a declared duty level or a coverage change included); planned: the "unit|date" published
const state = { cat: null, posts: [], ownUnit: null, needs: new Map(), planned: new Set() };

function minutesOf(clock) {
  const [h, m] = clock.split(":").map(Number);
  return h * 60 + m;
}

/** Shifts of the post that should be staffed at `at` ("YYYY-MM-DDTHH:MM"), with their day. */
function expected(post, at) {
  const day = at.slice(0, 10);
  const minute = minutesOf(at.slice(11, 16));
  const found = [];
  for (const [date, offset] of [
    [day, 0],
    [addDays(day, -1), 1440],
  ]) {
    const entries = state.planned.has(`${post.unit}|${date}`)
      ? state.needs.get(`${post.id}|${date}`) || []
      : post.coverage.filter((c) => coversDay(c, date)); // nothing published: the normal coverage
    for (const c of entries) {
      const shift = state.cat.shiftById[c.shift];
      if (!shift || c.min === 0) continue;
      const begin = minutesOf(shift.start);
      if (minute + offset >= begin && minute + offset < begin + shift.minutes) found.push({ date, shift, min: c.min });
    }
  }
  return found;
}

async function show() {
  const at = $("#at").value;
  if (!at) return;
  params.set({ at, unit: $("#unit").value, post: $("#post").value.trim() });
  const unit = $("#unit").value;
  const text = $("#post").value.trim();
  $("#now-summary").textContent = t("common.loading");
  const day = at.slice(0, 10);
  const [result, coverage] = await Promise.all([
    api("/on-duty", { query: { at, unit, post_name: text } }),
    api("/reports/coverage", { query: { start: addDays(day, -1), end: addDays(day, 1), unit, needs: "true" } }),
  ]);
  state.needs = new Map();
  state.planned = new Set(coverage.days.map((d) => `${d.unit}|${d.date}`));
  for (const d of coverage.days) {
    for (const n of d.needs || []) {
      const k = `${n.post}|${n.date}`;
      if (!state.needs.has(k)) state.needs.set(k, []);
      state.needs.get(k).push(n);
    }
  }
  const byPost = new Map();
  for (const d of result.duties) {
    if (!byPost.has(d.post)) byPost.set(d.post, []);
    byPost.get(d.post).push(d);
  }
  const posts = state.posts.filter(
    (p) =>
      (!unit || p.unit === unit) &&
      (!state.ownUnit || p.unit === state.ownUnit) &&
      (!text || p.name.includes(text) || p.id === text),
  );
  const empty = posts.filter((p) => !byPost.has(p.id) && expected(p, at).length);
  const staffed = posts.filter((p) => byPost.has(p.id));
  const card = (post, duties) => {
    const shift = duties.length
      ? `${duties[0].shift_name} ${hm(duties[0].start)}–${hm(duties[0].end)}`
      : expected(post, at)
          .map((e) => `${e.shift.name} ${e.shift.start}`)
          .join(" / ");
    const names = duties.length
      ? duties.map((d) => `<li>${esc(d.officer_name)} <small class="muted">${esc(d.officer)}</small></li>`).join("")
      : `<li class="warn">${esc(t("now.nobody"))}</li>`;
    return `<article class="post-card${duties.length ? "" : " short"}"><h3>${esc(post.name)}</h3><p class="muted small">${esc(state.cat.unitName[post.unit] || post.unit)} · ${esc(kindName(post.kind))} · ${esc(shift)}</p><ul class="plain">${names}</ul></article>`;
  };
  $("#now-list").innerHTML =
    empty.map((p) => card(p, [])).join("") + staffed.map((p) => card(p, byPost.get(p.id))).join("");
  const when = `${fmtDay(at.slice(0, 10))} ${at.slice(11, 16)}`;
  let summary = t("now.summary", { when, officers: result.count, posts: staffed.length });
  if (empty.length) summary += ` · ${t("now.unstaffed", { n: empty.length })}`;
  $("#now-summary").innerHTML = esc(summary);
  if (!result.count) {
    const horizon = state.cat.settings.horizon;
    const hint = document.createElement("p");
    hint.className = "notice";
    hint.textContent = t("now.none");
    if (horizon) {
      const jump = document.createElement("button");
      jump.type = "button";
      jump.className = "link";
      jump.textContent = t("now.jump", { day: horizon.start });
      jump.addEventListener("click", () => {
        $("#at").value = `${horizon.start}T${at.slice(11, 16)}`;
        show();
      });
      hint.append(" ", jump);
    }
    $("#now-summary").append(hint);
  }
}

startPage(async (user) => {
  const [cat, posts] = await Promise.all([loadCatalogue(), apiAll("/posts")]);
  state.cat = cat;
  state.posts = posts;
  if (user.role === "officer" && user.officer_id) {
    state.ownUnit = (await api(`/officers/${encodeURIComponent(user.officer_id)}`)).unit;
    $("#unit-field").hidden = true;
  }
  $("#unit").innerHTML =
    `<option value="">${esc(t("roster.allUnits"))}</option>` +
    cat.units.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join("");
  $("#at").value = params.get("at") || nowLocal(cat.settings.timezone);
  $("#unit").value = params.get("unit");
  $("#post").value = params.get("post");
  $("#now-form").addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  $("#now-button").addEventListener("click", () => {
    $("#at").value = nowLocal(cat.settings.timezone);
    show();
  });
  $("#unit").addEventListener("change", show);
  await show();
});

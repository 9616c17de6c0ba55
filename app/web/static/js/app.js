// The page shell every page module starts with: the API client (bearer token in localStorage),
// the header (navigation by role, language switch, log-out), the "no access" notice, and small
// helpers for escaping, dates and times. Times are the detachment's wall-clock times, as the API
// gives them; they are never converted to the browser's time zone.
import { applyI18n, getLang, setLang, t } from "./i18n.js";

export { t, getLang };

const TOKEN = "roster.token";

export const auth = {
  get token() {
    return localStorage.getItem(TOKEN);
  },
  save(token) {
    localStorage.setItem(TOKEN, token);
  },
  clear() {
    localStorage.removeItem(TOKEN);
  },
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }
}

let leaving = false; // logging out: requests still in flight get 401 and must not redirect with ?next

export function toLogin() {
  if (leaving) return;
  const next = location.pathname + location.search;
  location.assign(`/ui/login?next=${encodeURIComponent(next)}`);
}

/** Call the API: `api("/duties", {query: {start}})`, `api("/jobs", {method: "POST", body})`,
 * `api("/import/officers", {method: "POST", upload: formData})` (a multipart upload). */
export async function api(path, { method = "GET", query, body, form, upload } = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const headers = { Accept: "application/json" };
  if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
  let payload;
  if (form) {
    payload = new URLSearchParams(form);
  } else if (upload) {
    payload = upload; // the browser sets the multipart boundary
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload });
  } catch (error) {
    throw new ApiError(0, "network", t("error.network"), []);
  }
  if (response.status === 204) return null;
  const isJson = (response.headers.get("content-type") || "").includes("json");
  const data = isJson ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (data && data.error) || {};
    if (response.status === 401 && !form) {
      auth.clear();
      toLogin();
    }
    throw new ApiError(response.status, error.code, error.message || response.statusText, error.details);
  }
  return data;
}

/** Every item of a paged list (the server caps a page at 500). */
export async function apiAll(path, query = {}) {
  const limit = 500;
  const first = await api(path, { query: { ...query, limit, offset: 0 } });
  const rest = [];
  for (let offset = limit; offset < first.total; offset += limit) {
    rest.push(api(path, { query: { ...query, limit, offset } }));
  }
  const pages = await Promise.all(rest);
  return first.items.concat(...pages.map((p) => p.items));
}

// --------------------------------------------------------------------------- messages

export function errorText(error) {
  if (error instanceof ApiError) {
    const details = error.details.map((d) => `${d.path}: ${d.message}`).join("; ");
    const status = error.status ? `${t("error.status")} ${error.status}` : "";
    return [status, error.message, details].filter(Boolean).join(" · ");
  }
  return String((error && error.message) || error);
}

/** Show a message at the top of the page (kind: "error", "ok" or "info"). */
export function flash(message, kind = "error") {
  const box = document.getElementById("flash");
  box.textContent = message;
  box.className = `flash ${kind}`;
  box.hidden = false;
  if (kind !== "error") setTimeout(() => (box.hidden = true), 6000);
}

export function showError(error) {
  flash(`${t("error.prefix")}${errorText(error)}`, "error");
}

// --------------------------------------------------------------------------- HTML and dates

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** "2021-11-08" + n days (calendar arithmetic, no time zones involved). */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(day) {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function mondayOf(day) {
  return addDays(day, -weekday(day));
}

const DAY_TOKENS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Whether a post's coverage line applies on a day (its `days` lists weekdays or dates; none: all). */
export function coversDay(coverage, day) {
  return !coverage.days || coverage.days.includes(day) || coverage.days.includes(DAY_TOKENS[weekday(day)]);
}

export function fmtDay(day) {
  return `${day.slice(5)} ${t(`weekday.${weekday(day)}`)}`;
}

/** "2021-11-08T16:00:00+08:00" → "16:00". */
export function hm(stamp) {
  return stamp.slice(11, 16);
}

export function fmtStamp(stamp) {
  return stamp ? `${stamp.slice(0, 10)} ${stamp.slice(11, 16)}` : "";
}

let zone = "Asia/Shanghai"; // the detachment's time zone, set by loadCatalogue()

/** A server time stamp (UTC, written without an offset) in the detachment's wall-clock time, with
 * the zone's offset ("2021-11-09 12:00 GMT+8"): one clock on every page, whatever the browser's. */
export function fmtUtc(stamp) {
  if (!stamp) return "";
  const instant = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(stamp) ? stamp : `${stamp}Z`);
  return `${wallClock(instant, zone).replace("T", " ")} ${zoneLabel(instant)}`;
}

/** The detachment's zone as an offset ("GMT+8") at an instant. */
export function zoneLabel(instant = new Date()) {
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" })
    .formatToParts(instant)
    .find((p) => p.type === "timeZoneName");
  return part ? part.value : zone;
}

/** The detachment's "now" as the pages show it: its wall-clock time and zone, and whether the
 * service runs on a fixed clock (ROSTER_NOW), as a demonstration does. */
export function nowText(now) {
  const fixed = document.body.dataset.now ? ` ${t("clock.fixed")}` : "";
  return `${now.replace("T", " ")} ${zoneLabel()}${fixed}`;
}

/** An instant as "YYYY-MM-DDTHH:MM" on the wall clock of a time zone. */
function wallClock(instant, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Officers a post needs in a shift on a day: {min, max, skills}, or null when it is not staffed. */
export function slotNeed(post, day, shift) {
  let found = null;
  for (const c of post.coverage) {
    if (c.shift !== shift || !coversDay(c, day)) continue;
    found ||= { min: 0, max: 0, skills: {} };
    found.min += c.min;
    found.max += c.max;
    for (const [skill, n] of Object.entries(c.skills)) found.skills[skill] = (found.skills[skill] || 0) + n;
  }
  return found;
}

/** The solver's reason for a short slot, in the page's language (Chinese when there is one). */
export function shortfallReason(shortfall) {
  return getLang() === "en" ? shortfall.reason : shortfall.reason_zh || shortfall.reason;
}

/**
 * What a slot lacks: the officers short of its minimum, and per skill the skilled officers short.
 * `needed` is {min, skills}; `skillLists` the skills of each officer on the slot.
 */
export function slotGaps(needed, skillLists) {
  const gaps = [];
  if (!needed) return gaps;
  if (skillLists.length < needed.min) gaps.push({ skill: null, missing: needed.min - skillLists.length });
  for (const [skill, n] of Object.entries(needed.skills || {})) {
    const have = skillLists.filter((list) => list.includes(skill)).length;
    if (have < n) gaps.push({ skill, missing: n - have });
  }
  return gaps;
}

/** The detachment's current wall-clock time "YYYY-MM-DDTHH:MM" (the service's "now" when it has one). */
export function nowLocal(timezone) {
  const fixed = document.body.dataset.now;
  if (fixed) return fixed.slice(0, 16);
  return wallClock(new Date(), timezone || zone);
}

/** The solver's post kinds and score terms, in its order (the page shell carries them). */
export const POST_KINDS = document.body.dataset.postKinds.split(" ");
export const SCORE_TERMS = document.body.dataset.scoreTerms.split(" ");

export function kindName(kind) {
  return t(`kind.${kind}`);
}

/** Read and write the page's state in its URL (so reloads, the language switch and links keep it). */
export const params = {
  get(name) {
    return new URLSearchParams(location.search).get(name) || "";
  },
  set(values) {
    const search = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(values)) {
      if (value === "" || value === null || value === undefined || value === false) search.delete(key);
      else search.set(key, value === true ? "1" : value);
    }
    const query = search.toString();
    history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
  },
};

// --------------------------------------------------------------------------- reference data

/** Units, shift types and settings, fetched once per page. */
export async function loadCatalogue() {
  const [units, shifts, settings] = await Promise.all([
    apiAll("/units"),
    apiAll("/shift-types"),
    api("/settings"),
  ]);
  zone = settings.timezone || zone;
  return {
    units,
    unitName: Object.fromEntries(units.map((u) => [u.id, u.name])),
    shifts,
    shiftById: Object.fromEntries(shifts.map((s) => [s.id, s])),
    settings,
  };
}

// --------------------------------------------------------------------------- the shell

function setupHeader(user) {
  const lang = document.getElementById("lang");
  lang.textContent = t("nav.lang");
  lang.title = t("nav.lang.title");
  lang.addEventListener("click", () => {
    setLang(getLang() === "en" ? "zh-CN" : "en");
    location.reload();
  });
  if (!user) return;
  const nav = document.getElementById("nav");
  for (const link of $$("a[data-roles]", nav)) {
    const roles = link.dataset.roles.split(" ");
    if (!roles.includes(user.role)) link.remove();
  }
  nav.hidden = false;
  const who = document.getElementById("who");
  who.textContent = `${user.username} · ${t(`role.${user.role}`)}`;
  who.hidden = false;
  if (user.officer_id) refreshBell().catch(() => {}); // the badge helps; the page works without it
  const logout = document.getElementById("logout");
  logout.hidden = false;
  logout.addEventListener("click", async () => {
    leaving = true;
    try {
      await api("/auth/logout", { method: "POST" });
    } finally {
      auth.clear();
      location.assign("/ui/login");
    }
  });
}

/** The header's badge: how many of my notifications are unread (hidden at none). */
export async function refreshBell() {
  const { unread } = await api("/notifications/unread-count");
  const bell = document.getElementById("bell");
  document.getElementById("bell-count").textContent = String(unread);
  bell.title = t("notify.unread", { n: unread });
  bell.hidden = unread === 0;
}

/**
 * Start a page: translate the shell, check the log-in and the role, then run `main(user)`.
 * A user whose role the page is not for sees the "no access" notice and nothing is fetched.
 */
export async function startPage(main, { public: isPublic = false } = {}) {
  // filter toolbars act on input, never submit (no inline handlers: the CSP forbids them)
  document.addEventListener("submit", (event) => {
    if (event.target instanceof HTMLFormElement && event.target.classList.contains("toolbar")) {
      event.preventDefault();
    }
  });
  document.documentElement.lang = getLang();
  applyI18n(document);
  document.title = `${t(`title.${document.body.dataset.page}`)} · ${t("app.name")}`;
  if (isPublic) {
    setupHeader(null);
    await main(null);
    document.body.dataset.ready = "true";
    return;
  }
  if (!auth.token) {
    toLogin();
    return;
  }
  let user;
  try {
    user = await api("/auth/me");
  } catch (error) {
    setupHeader(null);
    if (error.status !== 401) showError(error);
    return;
  }
  setupHeader(user);
  const roles = document.body.dataset.roles.split(" ");
  if (!roles.includes(user.role)) {
    document.getElementById("denied").hidden = false;
    return;
  }
  document.getElementById("content").hidden = false;
  try {
    await main(user);
  } catch (error) {
    showError(error);
  }
  document.body.dataset.ready = "true"; // the page has loaded what it shows first
}

export function homeOf(role) {
  return role === "officer" ? "/ui/me" : "/ui/roster";
}

/** Open a <dialog> and close it with its [data-close] buttons. */
export function openDialog(dialog) {
  for (const button of $$("[data-close]", dialog)) button.onclick = () => dialog.close();
  dialog.showModal();
}

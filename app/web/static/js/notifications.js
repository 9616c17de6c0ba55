// My notifications (on "my schedule"): what changed in my duties, leave or requests, newest
// first, read or unread; marking them read updates the header's badge.
import { $, api, esc, fmtDay, fmtUtc, refreshBell, showError, t } from "./app.js";

const dutyLine = (d, names) => `${fmtDay(d.date)} ${names.shift(d.shift)} · ${names.post(d.post)}`;

function text(n, names) {
  const x = n.details || {};
  const span = (s) => (s || "").slice(0, 16).replace("T", " ");
  if (n.kind === "duties_changed") {
    const parts = [];
    if (x.added && x.added.length) parts.push(t("notify.added") + x.added.map((d) => dutyLine(d, names)).join(t("common.sep")));
    if (x.removed && x.removed.length) parts.push(t("notify.removed") + x.removed.map((d) => dutyLine(d, names)).join(t("common.sep")));
    const cause = t(`notify.cause.${x.cause}`);
    return `${t("notify.duties_changed", { cause })}${t("common.colon")}${parts.join("; ")}`;
  }
  if (n.kind === "level_declared") {
    return t("notify.level_declared", { units: (x.units || []).join(t("common.sep")), level: t(`level.${x.level}`), start: x.start, end: x.end });
  }
  return t(`notify.${n.kind}`, { start: span(x.start), end: span(x.end) });
}

/** Show the list in #notify-list; `names` has shift(id) and post(id) for the duties' names. */
export async function loadNotifications(names) {
  const page = await api("/notifications", { query: { limit: 50 } });
  $("#notify-all").hidden = page.unread === 0;
  $("#notify-list").innerHTML = page.items.length
    ? `<ul class="plain">${page.items
        .map(
          (n) =>
            `<li class="notification${n.read ? "" : " unread"}" data-id="${n.id}"><small class="muted">${esc(fmtUtc(n.created_at))}</small> ${esc(text(n, names))}${
              n.read ? "" : ` <button type="button" class="ghost small" data-read="${n.id}">${esc(t("notify.read"))}</button>`
            }</li>`,
        )
        .join("")}</ul>`
    : `<p class="muted">${esc(t("notify.none"))}</p>`;
}

export function wireNotifications(names) {
  const reload = async (path) => {
    try {
      await api(path, { method: "POST" });
      await Promise.all([loadNotifications(names), refreshBell()]);
    } catch (error) {
      showError(error);
    }
  };
  $("#notify-all").addEventListener("click", () => reload("/notifications/read-all"));
  $("#notify-list").addEventListener("click", (event) => {
    const read = event.target.closest("[data-read]");
    if (read) reload(`/notifications/${read.dataset.read}/read`);
  });
}

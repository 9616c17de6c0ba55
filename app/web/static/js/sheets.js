// The duty sheets to print (勤务表): a unit's day from the roster grid, an officer's week from
// "my schedule". The API needs the bearer token, so a sheet is fetched and opened as a blob page
// (its print button is /static/js/print.js: the CSP forbids inline handlers); xlsx is downloaded.
import { addDays, api, auth, esc, flash, loadCatalogue, mondayOf, nowLocal, showError, t } from "./app.js";

/** Open the HTML sheet at `path` in a new tab. */
export async function openSheet(path, query) {
  const html = await api(path, { query: { ...query, format: "html" } });
  // a blob page resolves no relative address (and the CSP allows no <base>): the print
  // button's script is named with this origin
  const based = html.replaceAll('src="/static/', `src="${location.origin}/static/`);
  const url = URL.createObjectURL(new Blob([based], { type: "text/html" }));
  window.open(url, "_blank");
}

/** Download the xlsx sheet at `path`. */
export async function downloadSheet(path, query, filename) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries({ ...query, format: "xlsx" })) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${auth.token}` } });
  if (!response.ok) return flash(`${t("error.prefix")}${response.status}`);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = filename;
  link.click();
}

/** The day sheet's path: of a roster version, or of the published roster. */
export function daySheetPath(rosterId) {
  return rosterId ? `/rosters/${rosterId}/duty-sheet` : "/duty-sheet";
}

/** A button opening the day sheet of `unit` on `day` (wired by `wireDaySheets`). */
export function daySheetButton(unit, day, rosterId, label = t("sheet.day")) {
  const attrs = `data-unit="${esc(unit)}" data-day="${esc(day)}" data-roster="${esc(rosterId || "")}"`;
  return `<button type="button" class="link day-sheet" ${attrs} title="${esc(t("sheet.dayTitle"))}">${esc(label)}</button>`;
}

/** Clicks on day-sheet buttons anywhere under `root` open the sheet (with Shift: the xlsx). */
export function wireDaySheets(root) {
  root.addEventListener("click", (event) => {
    const button = event.target.closest(".day-sheet");
    if (!button) return;
    event.stopPropagation();
    const unit = button.dataset.unit;
    const query = { unit_id: unit, day: button.dataset.day };
    const path = daySheetPath(button.dataset.roster);
    const done = button.dataset.format === "xlsx" || event.shiftKey
      ? downloadSheet(path, query, `duty-sheet-${unit}-${button.dataset.day}.xlsx`)
      : openSheet(path, query);
    done.catch(showError);
  });
}

/** "My schedule": the buttons with `data-week-sheet` (days after this week's Monday) open the week sheet. */
export function wireWeekSheets(root, officerId) {
  root.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-week-sheet]");
    if (!button) return;
    try {
      const cat = await loadCatalogue();
      const today = nowLocal(cat.settings.timezone).slice(0, 10);
      const start = addDays(mondayOf(today), Number(button.dataset.weekSheet || 0));
      const path = `/officers/${encodeURIComponent(officerId)}/week-sheet`;
      if (button.dataset.format === "xlsx") await downloadSheet(path, { start }, `week-sheet-${officerId}-${start}.xlsx`);
      else await openSheet(path, { start });
    } catch (error) {
      showError(error);
    }
  });
}

import { initAll } from "/static/govuk/govuk-frontend.min.js";
import "./tables.mjs";
import "./unsaved.mjs";

initAll();

import { initAll } from "/static/govuk/govuk-frontend.min.js";
import "./paragraph-numbers.mjs";
import "./tables.mjs";
import "./unsaved.mjs";

initAll();

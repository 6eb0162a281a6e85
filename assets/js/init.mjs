import { initAll } from "/static/govuk/govuk-frontend.min.js";
import "./tables.mjs";

initAll();

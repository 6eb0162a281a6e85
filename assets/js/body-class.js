// Lets GOV.UK Frontend style components for JavaScript before the page finishes loading.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

// Passkeys on the second-factor pages. django-otp-webauthn's scripts do the ceremony and, after
// a passkey is checked, go to the "next" address themselves; after a passkey is set up they only
// announce it, so here the page moves on: to the backup codes made with it when the server says
// so (`redirect_url`, a passkey set up as someone's first second factor), else to where the
// person was going (the hidden "next").
document.addEventListener("otp_webauthn.register_complete", function (event) {
  var answer = event.detail && event.detail.response;
  var next = document.querySelector("input[name='next']");
  var target = next && next.value ? next.value : "/staff/";
  if (answer && typeof answer.redirect_url === "string" &&
      answer.redirect_url.charAt(0) === "/" &&
      answer.redirect_url.charAt(1) !== "/") {
    var url = new URL(answer.redirect_url, window.location.origin);
    url.searchParams.set("next", target);
    target = url.pathname + url.search;
  }
  window.location.assign(target);
});

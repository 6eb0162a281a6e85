// Passkeys on the second-factor page. django-otp-webauthn's scripts do the ceremony and, after
// a passkey is checked, go to the "next" address themselves; after a passkey is set up they only
// announce it, so here the page moves on to where the person was going (the hidden "next").
document.addEventListener("otp_webauthn.register_complete", function () {
  var next = document.querySelector("input[name='next']");
  window.location.assign(next && next.value ? next.value : "/staff/");
});

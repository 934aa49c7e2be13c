// Security keys and passkeys for the AWS access portal's MFA pages. A form
// with data-webauthn="create" or "get" carries, in the element named by
// data-options, the options the server made; on submit this script asks the
// browser's authenticator (navigator.credentials) and posts its answer as JSON
// in the form's "credential" field. Every other page works without script.
(function () {
  "use strict";
  function toBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var b = atob(s), u = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
    return u.buffer;
  }
  function toB64u(buf) {
    var u = new Uint8Array(buf), s = "";
    for (var i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function encode(c) {
    var r = c.response, out = {
      id: c.id, rawId: toB64u(c.rawId), type: c.type,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64u(r.clientDataJSON) }
    };
    if (c.authenticatorAttachment) out.authenticatorAttachment = c.authenticatorAttachment;
    if (r.attestationObject) {
      out.response.attestationObject = toB64u(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toB64u(r.authenticatorData);
      out.response.signature = toB64u(r.signature);
      if (r.userHandle) out.response.userHandle = toB64u(r.userHandle);
    }
    return out;
  }
  function ids(list) {
    (list || []).forEach(function (c) { c.id = toBuf(c.id); });
  }
  function run(form) {
    var status = form.querySelector("[role=status]");
    var say = function (m) { if (status) status.textContent = m; };
    if (!window.PublicKeyCredential || !navigator.credentials) {
      say("This browser does not support security keys. Use another browser or an authenticator app.");
      return;
    }
    var opts = JSON.parse(document.getElementById(form.getAttribute("data-options")).textContent);
    opts.challenge = toBuf(opts.challenge);
    var p;
    if (form.getAttribute("data-webauthn") === "create") {
      opts.user.id = toBuf(opts.user.id);
      ids(opts.excludeCredentials);
      p = navigator.credentials.create({ publicKey: opts });
    } else {
      ids(opts.allowCredentials);
      p = navigator.credentials.get({ publicKey: opts });
    }
    say("Follow your browser's instructions to use your security key.");
    p.then(function (c) {
      form.elements.credential.value = JSON.stringify(encode(c));
      form.submit();
    }).catch(function (e) {
      say("The security key was not used (" + (e && e.name ? e.name : "error") + "). Try again.");
    });
  }
  document.querySelectorAll("form[data-webauthn]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (f.elements.credential.value) return;
      ev.preventDefault();
      run(f);
    });
  });
})();

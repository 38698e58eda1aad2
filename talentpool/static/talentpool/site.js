// The site's page behaviour, from a static file: the Content-Security-Policy allows no inline
// <script> and no on…= attribute (settings.CONTENT_SECURITY_POLICY). Listeners sit on the
// document, so markup that htmx swaps in later behaves the same.
"use strict";

// <select data-autosubmit>: choosing submits its form (the language switch).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

// <form data-confirm="question">: ask before submitting (deleting a certificate or an honour).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// <a data-history-back>: back to the page before (a form's Cancel), else follow the link.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

/* Đôn Đốc web: signing in from a Telegram Mini App, and sortable tables. No library, no build step. */
(function () {
  "use strict";

  /* Telegram opens a Mini App with its signed initData in the URL fragment (#tgWebAppData=…); the page
     sends it to the server, which checks it (HMAC) and sets the session cookie. */
  function initData() {
    var hash = window.location.hash.replace(/^#/, "");
    if (hash) {
      var found = new URLSearchParams(hash).get("tgWebAppData");
      if (found) return found;
    }
    var tg = window.Telegram && window.Telegram.WebApp;
    return tg && tg.initData ? tg.initData : "";
  }

  function signIn(box) {
    var data = initData();
    if (!data) return;
    var status = document.getElementById("signin-status");
    var error = document.getElementById("signin-error");
    status.textContent = box.getAttribute("data-wait") || status.textContent;
    fetch(box.getAttribute("data-auth-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: "init_data=" + encodeURIComponent(data)
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      if (result.ok) {
        window.location.replace(window.location.pathname + window.location.search);
      } else {
        error.textContent = result.body.message || "401";
        error.hidden = false;
        error.setAttribute("data-error", result.body.error || "");
      }
    }).catch(function () {
      error.textContent = "⚠";
      error.hidden = false;
    });
  }

  function sortable(table) {
    var buttons = table.querySelectorAll("thead button[data-sort]");
    Array.prototype.forEach.call(buttons, function (button, column) {
      button.addEventListener("click", function () {
        var th = button.parentNode;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = button.getAttribute("data-sort") === "num";
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          var left = numeric ? parseFloat(x.getAttribute("data-value")) : x.textContent.trim();
          var right = numeric ? parseFloat(y.getAttribute("data-value")) : y.textContent.trim();
          var order = numeric ? left - right : left.localeCompare(right, document.documentElement.lang);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("signin");
    if (box) signIn(box);
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
  });
})();

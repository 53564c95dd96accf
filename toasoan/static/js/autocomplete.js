// Search suggestions under any search box marked data-autocomplete: keywords and
// titles for what has been typed, with or without diacritics. The box works
// without this script; it only adds a list of links.
(function () {
  "use strict";
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    var list = document.createElement("ul");
    list.className = "autocomplete";
    list.id = input.id + "-goi-y";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.form.appendChild(list);
    var timer = null;
    var latest = 0;

    function item(label, url, kind) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = url;
      a.textContent = label;
      if (kind) {
        var small = document.createElement("small");
        small.textContent = " " + kind;
        a.appendChild(small);
      }
      li.appendChild(a);
      return li;
    }

    function show(data) {
      list.replaceChildren();
      data.keywords.forEach(function (k) { list.appendChild(item(k.name, k.url, "từ khóa")); });
      data.articles.forEach(function (a) { list.appendChild(item(a.title, a.url)); });
      list.hidden = !list.children.length;
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value.trim();
      if (value.length < 2) { list.hidden = true; return; }
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch(input.dataset.autocomplete + "?q=" + encodeURIComponent(value))
          .then(function (r) { return r.ok ? r.json() : { keywords: [], articles: [] }; })
          .then(function (data) { if (ticket === latest) show(data); })
          .catch(function () { list.hidden = true; });
      }, 200);
    });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") list.hidden = true; });
  });
})();

// Counts a read: one small beacon from the article page, so that pages served
// from a cache still count. Without JavaScript the page works; it does not count.
(function () {
  var main = document.querySelector("main[data-article-id]");
  if (!main || !navigator.sendBeacon) return;
  navigator.sendBeacon("/api/views/" + encodeURIComponent(main.dataset.articleId));
})();

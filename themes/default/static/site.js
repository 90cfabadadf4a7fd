/* practicebank default theme. ES5 on purpose: old council laptops.
   The site works without this file; it only tells the CSS that
   JavaScript is running. */
(function () {
  'use strict';
  var body = document.body;
  if (body && !/(^|\s)js-enabled(\s|$)/.test(body.className)) {
    body.className = body.className ? body.className + ' js-enabled' : 'js-enabled';
  }
}());

/**
 * /portal/app.js: the portal's only script (served as a file, so the pages' CSP allows no inline
 * script). Photos go up one by one as raw bytes (`POST …/photos`, name in X-File-Name); the report
 * goes as JSON; group fields show when their trigger has the answer that opens them.
 */
export const APP_JS = String.raw`(function () {
  var err = document.getElementById('error');
  function say(text) { if (err) err.textContent = text || ''; }
  async function send(url, file) {
    var r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name || 'photo.jpg') }, body: file });
    var body = await r.json().catch(function () { return {}; });
    if (!r.ok) throw new Error(body.error || ('上传失败（' + r.status + '）'));
    return body;
  }
  var form = document.getElementById('report');
  if (form) {
    var photos = [];
    var thumbs = form.querySelector('[data-thumbs]');
    var groups = Array.prototype.slice.call(form.querySelectorAll('.group'));
    function syncGroups() {
      groups.forEach(function (g) {
        var trigger = form.querySelector('[name="f.' + g.dataset.whenField + '"]');
        g.hidden = !trigger || trigger.value !== g.dataset.whenEq;
      });
    }
    form.addEventListener('change', syncGroups);
    syncGroups();
    form.querySelector('[data-photos]').addEventListener('change', async function (e) {
      var files = Array.prototype.slice.call(e.target.files || []);
      for (var i = 0; i < files.length; i++) {
        try {
          say('正在上传 ' + files[i].name + '…');
          var p = await send('/portal/photos?site=' + encodeURIComponent(form.dataset.site || ''), files[i]);
          photos.push({ hash: p.hash, thumb: p.thumb, name: p.name });
          var img = document.createElement('img');
          img.src = URL.createObjectURL(files[i]);
          img.alt = p.name;
          thumbs.appendChild(img);
          say('');
        } catch (x) { say(x.message); }
      }
      e.target.value = '';
    });
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      var answers = {};
      Array.prototype.slice.call(form.querySelectorAll('[name^="f."]')).forEach(function (el) {
        if (el.closest('.group') && el.closest('.group').hidden) return;
        if (el.value !== '') answers[el.name.slice(2)] = el.value;
      });
      say('正在提交…');
      var r = await fetch('/portal/report', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: form.dataset.site, answers: answers, photos: photos }) });
      var body = await r.json().catch(function () { return {}; });
      if (!r.ok) return say(body.error || ('提交失败（' + r.status + '）'));
      location.href = body.follow;
    });
  }
  var more = document.querySelector('[data-more]');
  if (more) more.addEventListener('change', async function (e) {
    var files = Array.prototype.slice.call(e.target.files || []);
    try {
      for (var i = 0; i < files.length; i++) { say('正在上传 ' + files[i].name + '…'); await send(more.dataset.more, files[i]); }
      location.reload();
    } catch (x) { say(x.message); }
  });
})();
`;

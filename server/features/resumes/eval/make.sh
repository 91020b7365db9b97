#!/bin/sh
# Generates the evaluation set's files (../fixtures/eval/<id>.<ext>) from the texts in pairs.json,
# one kind per résumé as `kinds` says: Chromium prints text PDFs and takes screenshots; ffmpeg
# degrades a screenshot into a scanned page (grey, slight tilt, noise) or a phone photo (tilt,
# blur, uneven light, noise, JPEG); Python's zipfile writes DOCX. Run by hand; the files are
# committed. Needs chromium, ffmpeg, python3 and a CJK font (Debian: fonts-wqy-microhei).
set -eu
cd "$(dirname "$0")"
out=../fixtures/eval
mkdir -p "$out"
tmp=$(mktemp -d)
python3 - "$tmp" <<'PY'
import json, sys, zipfile
from xml.sax.saxutils import escape
tmp = sys.argv[1]
d = json.load(open('pairs.json', encoding='utf-8'))
def docx(text, out):
    paras = ''.join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % escape(l) for l in text.split('\n'))
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % paras)
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', ct)
        z.writestr('_rels/.rels', rels)
        z.writestr('word/document.xml', doc)
for rid, kind in d['kinds'].items():
    text = d['resumes'][rid]
    if kind == 'docx':
        docx(text, '../fixtures/eval/%s.docx' % rid)
        continue
    size = 16 if kind == 'pdf' else 22
    html = ('<html><head><meta charset="utf-8"><style>body{font-family:"WenQuanYi Micro Hei",sans-serif;'
            'font-size:%dpx;white-space:pre-wrap;margin:40px;background:#fff}</style></head><body>%s</body></html>'
            % (size, escape(text)))
    open('%s/%s.%s.html' % (tmp, rid, kind), 'w', encoding='utf-8').write(html)
PY
for f in "$tmp"/*.html; do
  base=$(basename "$f" .html); id=${base%.*}; kind=${base##*.}
  case $kind in
  pdf)
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$PWD/$out/$id.pdf" "file://$f" 2>/dev/null ;;
  scan)
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1400 --screenshot="$tmp/$id.png" "file://$f" 2>/dev/null
    # A flatbed scan: grey, tilted by under a degree, speckled.
    ffmpeg -loglevel error -y -i "$tmp/$id.png" -vf "format=gray,rotate=0.6*PI/180:fillcolor=white,noise=alls=12:allf=u" -q:v 5 "$tmp/$id-scan.jpg"
    printf '<html><body style="margin:0"><img src="%s-scan.jpg" style="width:100%%"></body></html>' "$id" > "$tmp/$id-page.html"
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$PWD/$out/$id.pdf" "file://$tmp/$id-page.html" 2>/dev/null ;;
  photo)
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1400 --force-device-scale-factor=2 --screenshot="$tmp/$id.png" "file://$f" 2>/dev/null
    # A phone photo (2000x2800, under a phone camera's 12 MP): the page tilted on a desk, soft focus, darker corners, sensor noise, JPEG.
    ffmpeg -loglevel error -y -i "$tmp/$id.png" -vf "rotate=2.5*PI/180:fillcolor=0x6b5a48,gblur=sigma=1.8,vignette=PI/5,noise=alls=8:allf=t,eq=brightness=-0.03:contrast=0.9" -q:v 7 "$PWD/$out/$id.jpg" ;;
  esac
done
rm -rf "$tmp"
ls -la "$out"

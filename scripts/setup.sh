#!/usr/bin/env bash
# Installs everything cxzy-docs needs on a fresh Debian machine with Python 3.11, idempotently:
# system tools from apt (LibreOffice for .doc/.xls and rendering checks, CJK fonts for PDF output,
# poppler for page images, tesseract for scans) and the package itself with its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libreoffice-writer-nogui libreoffice-calc-nogui  # .doc/.xls/.wps/.et conversion; page rendering in tests
  fonts-arphic-uming fonts-wqy-zenhei fonts-noto-cjk  # CJK fonts with Latin digits for PDF; Song face
  fonts-hanazono                                    # glyphs outside the BMP (𠮷) for PDF output
  fonts-arphic-ukai                                 # a 楷体-like face for report headings
  fonts-liberation2                                 # Times New Roman/Arial metrics for Latin text and digits
  poppler-utils                                     # pdftoppm/pdftotext: page images and text checks
  tesseract-ocr tesseract-ocr-chi-sim               # OCR of scanned books
  tmux                                              # running the TUI as a person would (tests)
  chromium                                          # the served TUI opened in a headless browser (tests)
  postgresql                                        # a private server the concurrency tests start (initdb/pg_ctl)
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包 / installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Every font family our documents name (宋体, 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, Times New Roman,
# Arial) -> one of the free faces above, so LibreOffice renders the same pages on every machine set up here.
if [ ! -f /etc/fonts/conf.d/65-cxzy-cjk.conf ] || ! cmp -s scripts/fontconfig/65-cxzy-cjk.conf /etc/fonts/conf.d/65-cxzy-cjk.conf; then
  cp scripts/fontconfig/65-cxzy-cjk.conf /etc/fonts/conf.d/65-cxzy-cjk.conf
  fc-cache -f >/dev/null 2>&1 || true
fi

PY=${PYTHON:-python3}
"$PY" -m pip install -q --disable-pip-version-check --root-user-action=ignore -e ".[dev]"

#!/usr/bin/env bash
# Debian's Tesseract with the language packs Writ reads (English, Korean, Chinese simplified and traditional,
# Japanese, Russian, Spanish) and poppler's pdftoppm, for OCR of scanned PDFs and images in intake
# (src/intake/ocr.ts, test/medium/ocr.test.ts, test/medium/intake-documents.test.ts, bench/intake), when absent.
set -euo pipefail
languages=(eng kor chi_sim chi_tra jpn rus spa)
missing=""
if command -v tesseract >/dev/null && command -v pdftoppm >/dev/null; then
  installed=$(tesseract --list-langs 2>/dev/null || true)
  for language in "${languages[@]}"; do
    grep -qx "$language" <<<"$installed" || missing="yes"
  done
  [ -z "$missing" ] && exit 0
fi
packages=(tesseract-ocr poppler-utils)
for language in "${languages[@]}"; do packages+=("tesseract-ocr-${language//_/-}"); done
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

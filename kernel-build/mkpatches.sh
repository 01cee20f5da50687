#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkpatches.sh PRISTINE OURS OUT
#
# Emits our AF_XDP as a git format-patch series with a cover letter, into
# OUT/patches/, generated from PRISTINE (the unpacked linux-source-6.12
# tree) and OURS (the tree make kernel builds, assembled by
# prepare-tree.sh).  kernel-build/series/series lists the patches: which
# paths each one brings to their final content, and its message.
#
# The series is then proven:
#   - it applies with git am to a git tree of PRISTINE's files;
#   - the tree it gives equals OURS on every path the series touches (and
#     every other path is PRISTINE's, untouched);
#   - every patch passes checkpatch.pl --strict (from PRISTINE).
# The git trees are OUT/base (PRISTINE's files that the series touches,
# as one commit) and OUT/applied (the same after git am).  A tree of only
# the touched files is enough for git am and for the comparison; the full
# trees are built patch by patch by bisect-patches.sh.
#
# Nothing here is committed to our repository: OUT is a build folder.
set -eu

die() { echo "mkpatches: $*" >&2; exit 1; }
[ $# = 3 ] || { echo "usage: $0 PRISTINE OURS OUT" >&2; exit 2; }
pristine=$(cd "$1" && pwd) ours=$(cd "$2" && pwd)
mkdir -p "$3"
out=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
series=$here/series/series
[ -f "$pristine/Makefile" ] || die "'$pristine' is not a kernel tree"
[ -f "$ours/Makefile" ] || die "'$ours' is not a kernel tree (make kernel assembles it)"
[ -f "$series" ] || die "no series file at $series"

# The Kconfig line that the first patch takes out and `enable` puts back.
KCONFIG_LINE='source "net/xdp/Kconfig"'
grep -qxF "$KCONFIG_LINE" "$pristine/net/Kconfig" ||
	die "net/Kconfig of $pristine has no line '$KCONFIG_LINE'"

# Author and sign-off: who made our repository's last commit (a fresh clone
# has no git identity configured, but has its history).
ident=$(git -C "$here" log -1 --format='%an <%ae>' 2>/dev/null || true)
[ -n "$ident" ] || ident="AF_XDP series <afxdp@localhost>"
export GIT_AUTHOR_NAME="${ident% <*}" GIT_COMMITTER_NAME="${ident% <*}"
email=${ident##*<}
export GIT_AUTHOR_EMAIL="${email%>}" GIT_COMMITTER_EMAIL="${email%>}"
# Dates of the series' commits: fixed, so the series is the same every run.
export GIT_AUTHOR_DATE="2026-12-01T00:00:00Z" GIT_COMMITTER_DATE="2026-12-01T00:00:00Z"

steps=$(grep -v '^#' "$series" | grep -v '^[[:space:]]*$')

# Every path a step names, and every mainline file a `remove` deletes.
touched() {
	echo "$steps" | while read -r msg kind rest; do
		case $kind in
		remove)
			for p in $rest; do
				(cd "$pristine" && find "$p" -type f)
			done
			echo net/Kconfig;;
		upto)
			echo "${rest%% *}";;
		*)
			for p in $rest; do echo "$p"; done;;
		esac
	done | sort -u
}

rm -rf "$out/base" "$out/work" "$out/applied" "$out/patches"
mkdir -p "$out/base" "$out/patches"
paths=$(touched)

# The base: PRISTINE's version of every touched path it has, one commit.
echo "$paths" | while IFS= read -r f; do
	[ -f "$pristine/$f" ] || continue
	mkdir -p "$out/base/$(dirname "$f")"
	cp "$pristine/$f" "$out/base/$f"
done
git -C "$out/base" init -q
git -C "$out/base" add -A
git -C "$out/base" commit -q -m "Linux 6.12: the files the AF_XDP series touches"
git clone -q "$out/base" "$out/work"

# One commit per step.
n=0
echo "$steps" | while read -r msg kind rest; do
	n=$((n + 1))
	[ -f "$here/series/$msg" ] || die "step $n: no message file series/$msg"
	case $kind in
	remove)
		for p in $rest; do git -C "$out/work" rm -q -r "$p"; done
		grep -vxF "$KCONFIG_LINE" "$out/work/net/Kconfig" > "$out/work/net/Kconfig.new"
		mv "$out/work/net/Kconfig.new" "$out/work/net/Kconfig";;
	files | enable)
		for p in $rest; do
			[ -f "$ours/$p" ] || die "step $n: $p is not in $ours"
			mkdir -p "$out/work/$(dirname "$p")"
			cp "$ours/$p" "$out/work/$p"
		done
		[ "$kind" = enable ] && cp "$pristine/net/Kconfig" "$out/work/net/Kconfig";;
	upto)
		p=${rest%% *} mark=${rest#* }
		grep -qxF "$mark" "$ours/$p" || die "step $n: no line '$mark' in $p"
		mkdir -p "$out/work/$(dirname "$p")"
		# Blank lines before the mark are held back: the file ends on its last text.
		awk -v mark="$mark" '$0 == mark { exit }
			/^$/ { held = held "\n"; next }
			{ printf "%s", held; held = ""; print }' "$ours/$p" > "$out/work/$p";;
	*)
		die "step $n: unknown kind '$kind'";;
	esac
	git -C "$out/work" add -A
	git -C "$out/work" diff --cached --quiet && die "step $n ($msg) changes nothing"
	{ cat "$here/series/$msg"; echo; echo "Signed-off-by: $ident"; } |
		git -C "$out/work" commit -q -F -
done

# The final tree of the series is OURS on every touched path.
echo "$paths" | while IFS= read -r f; do
	if [ -f "$ours/$f" ]; then
		cmp -s "$ours/$f" "$out/work/$f" ||
			die "after the series, $f differs from $ours/$f (the series file misses a step?)"
	elif [ -e "$out/work/$f" ]; then
		die "after the series $f exists; $ours has no such file"
	fi
done
# And OURS has no file of ours that the series leaves out.
[ -f "$ours.overlay" ] && while IFS= read -r f; do
	echo "$paths" | grep -qxF "$f" || die "$f is ours but no patch of the series has it"
done < "$ours.overlay"

# The series, with its cover letter.
count=$(echo "$steps" | wc -l)
git -C "$out/work" format-patch -q --cover-letter --no-signature -o "$out/patches" \
	"HEAD~$count"
cover=$out/patches/0000-cover-letter.patch
tail -n +3 "$here/series/cover.msg" > "$out/cover.body"
awk -v subject="$(head -n 1 "$here/series/cover.msg")" -v body="$out/cover.body" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
	/^\*\*\* BLURB HERE \*\*\*$/ { while ((getline l < body) > 0) print l; next }
	{ print }' "$cover" > "$cover.new"
mv "$cover.new" "$cover"
rm -f "$out/cover.body"
# Subjects and blurb filled in: no placeholder may remain.
! grep -q '\*\*\* .* HERE \*\*\*' "$cover" || die "the cover letter kept a placeholder"

# It applies to the pristine files with git am, and gives the same tree.
git clone -q "$out/base" "$out/applied"
git -C "$out/applied" am -q $(ls "$out"/patches/*.patch | grep -v /0000-cover-letter.patch)
[ "$(git -C "$out/applied" rev-parse 'HEAD^{tree}')" = "$(git -C "$out/work" rev-parse 'HEAD^{tree}')" ] ||
	die "git am of the series gives another tree than the one it was made from"

# checkpatch --strict on every patch.  FILE_PATH_CHANGES ("does MAINTAINERS
# need updating?") is not checked: the AF_XDP entry already covers net/xdp/,
# the headers and the documentation, and the XSKMAP patch adds the one
# moved file.
bad=0
for p in "$out"/patches/0*.patch; do
	case $p in *0000-cover-letter.patch) continue;; esac
	# --terse prints nothing for a clean patch.
	if ! res=$("$pristine/scripts/checkpatch.pl" --strict --no-tree --terse \
		   --ignore FILE_PATH_CHANGES "$p" 2>&1) || [ -n "$res" ]; then
		echo "mkpatches: checkpatch --strict: $(basename "$p"):" >&2
		echo "$res" >&2
		bad=1
	fi
done
[ "$bad" = 0 ] || die "checkpatch --strict is not clean (above)"

echo "mkpatches: $count patches and a cover letter in $out/patches:"
(cd "$out/patches" && ls)
echo "mkpatches: git am applies them to Linux 6.12 and gives the tree make kernel builds;" \
     "checkpatch --strict is clean on each"

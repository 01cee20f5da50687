/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced by kernel-build/relayout.sh into the objects it pads: AFXDP_LAYOUT_PAD
 * bytes of int3 in the object's text, which move every function linked after
 * it by that much (make vmbench, kernel-build/README.md).
 */
#ifndef AFXDP_LAYOUT_PAD
#error "AFXDP_LAYOUT_PAD (bytes) must be defined"
#endif
#define AFXDP_LAYOUT_STR_(x) #x
#define AFXDP_LAYOUT_STR(x) AFXDP_LAYOUT_STR_(x)
#if AFXDP_LAYOUT_PAD > 0
asm(".pushsection .text\n\t.skip " AFXDP_LAYOUT_STR(AFXDP_LAYOUT_PAD) ", 0xcc\n\t.popsection");
#endif

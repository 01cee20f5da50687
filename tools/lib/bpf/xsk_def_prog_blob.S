/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Embeds the compiled default XDP program (an ELF object built by clang
 * -target bpf) in the library, so nothing is looked up at run time.
 * XSK_DEF_PROG_OBJ is the path of the object, given by the Makefile.
 */
	.section .rodata.xsk_def_prog, "a"
	.balign 8
	.globl xsk_def_prog_obj
	.hidden xsk_def_prog_obj
xsk_def_prog_obj:
	.incbin XSK_DEF_PROG_OBJ
	.globl xsk_def_prog_obj_end
	.hidden xsk_def_prog_obj_end
xsk_def_prog_obj_end:
	.section .note.GNU-stack, "", @progbits

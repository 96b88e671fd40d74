        .globl  hm_asm_value
hm_asm_value:
        .long 7

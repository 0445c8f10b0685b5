# Convergence of the Sobol indices of one output: each input's total index
# ST (solid) and first-order index S1 (dashed) estimated on the first n base
# samples of the design, n doubling up to N.
# Data $c: one block per input (blocks separated by two blank lines): n s1 st.
set title title_text noenhanced
set xlabel "base samples n"
set ylabel "index"
set logscale x 2
set grid lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
plot for [i=0:ninputs-1] $c index i using 1:3 with linespoints lw 2 pt 7 lc i+1 title word(input_names, i+1), \
     for [i=0:ninputs-1] $c index i using 1:2 with linespoints lw 1 pt 6 dt 2 lc i+1 notitle

# A stress battery: the mean monthly gross margin of one plan under the
# baseline (thick) and under every shock, with the plan's target margin.
# Data $st: month margin, one block per line (blocks separated by two blank
# lines, taken in turn by `index`); names in line_names.
set title title_text noenhanced
set xlabel "month"
set ylabel "gross margin (%), mean of replications"
set grid lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set offsets 0, 0, 1, 1
lwf(i) = i == 0 ? 4 : 2
dtf(i) = i == 0 ? 1 : (i % 4) + 1
lcf(i) = i == 0 ? 8 : i
plot for [i=0:nlines-1] $st index i using 1:2 with lines lw lwf(i) lc lcf(i) dt dtf(i) title word(line_names, i+1), \
     target with lines dt 2 lw 2 lc rgb "#a50f15" title sprintf("target %g%%", target)

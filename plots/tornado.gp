# A tornado chart: for each parameter (largest swing on top) a bar from the
# baseline margin to the margin at its low value and one to its high value.
# Data $t: row base m_low m_high label.
set title title_text noenhanced
set xlabel "gross margin over the horizon (%)"
set grid xtics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 0.8 noborder
set ytics nomirror noenhanced
set yrange [0.3:nrows + 0.7]
set offsets graph 0.05, graph 0.05, 0, 0
plot $t using (($2 + $3) / 2):1:(($2 < $3 ? $2 : $3)):(($2 < $3 ? $3 : $2)):($1 - 0.35):($1 + 0.35):ytic(5) \
         with boxxyerror lc rgb "#3182bd" title "low value", \
     $t using (($2 + $4) / 2):1:(($2 < $4 ? $2 : $4)):(($2 < $4 ? $4 : $2)):($1 - 0.35):($1 + 0.35) \
         with boxxyerror lc rgb "#e6550d" title "high value", \
     $t using 2:($1 - 0.45):(0):(0.9) with vectors nohead lc rgb "black" lw 2 title "baseline"

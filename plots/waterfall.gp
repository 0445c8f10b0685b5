# The savings waterfall: the demand's inference cost over the horizon with
# no lever, each lever's saving as a falling bar in the order applied, and
# the cost after them. Data $w: index bottom top label kind (0 total, 1 saving).
set title title_text noenhanced
set ylabel "inference cost over the horizon ($)"
set grid ytics lc rgb "#e0e0e0"
set style fill solid 0.85 noborder
set xtics rotate by -30 noenhanced nomirror
set yrange [0:*]
set offsets 0.5, 0.5, graph 0.08, 0
unset key
plot $w using 1:(($2 + $3) / 2):(0.35):(($3 - $2) / 2):($5 == 0 ? 0x3182bd : 0x31a354):xtic(4) \
         with boxxyerror lc rgb variable, \
     $w using 1:3:($5 == 0 ? sprintf("$%.0f", $3) : sprintf("-$%.0f", $3 - $2)) with labels offset 0, 0.8 font ",9"

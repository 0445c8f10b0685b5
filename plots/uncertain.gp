# Uncertain inputs against the horizon margin: for each input (in the
# scenario's order, top down) its Spearman rank correlation with the first
# plan's horizon margin, labelled with its contribution to variance (its
# squared rank correlation as a share of all inputs', as @RISK reports it).
# Data $u: row rho label annotation colour.
set title title_text noenhanced
set xlabel "rank correlation with the horizon margin"
set grid xtics lc rgb "#e0e0e0"
set style fill solid 0.8 noborder
set ytics nomirror noenhanced
set yrange [0.3:nrows + 0.7]
set xrange [-1.05:1.05]
unset key
plot $u using ($2 / 2):1:(($2 < 0 ? $2 : 0)):(($2 < 0 ? 0 : $2)):($1 - 0.35):($1 + 0.35):5:ytic(3) \
         with boxxyerror lc variable, \
     $u using 2:1:4 with labels offset character 0, 0 left noenhanced tc rgb "black"

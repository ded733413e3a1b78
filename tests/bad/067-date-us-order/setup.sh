# Excel with an English (US) locale writes month/day/year
sed -i 's#^start .*#start      = 4/27/2026#' vdsched.ini

# key：value from a Chinese keyboard; the range lacks its end
sed -i '22s#^$#blackout：2026/5/20～#' vdsched.ini

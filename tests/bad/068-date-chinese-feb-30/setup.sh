# a Chinese-style date, typed with full-width ＝, that does not exist
sed -i 's#^end .*#end        ＝ 2026年2月30日#' vdsched.ini

# Excel's GBK CSV with Chinese headers and dates, declared encoding = gbk
sed -i '22s#^$#encoding = gbk#' vdsched.ini
sed -i '1s#.*#村医编号,姓名,村卫生室编号,电话,已完成,不可参加日期#; 3s#,$#,2026年5月32日#' doctors.csv
iconv -f UTF-8 -t GBK doctors.csv >d.csv && mv d.csv doctors.csv

sed -i 's#^t01,黄秀兰,xa-01,#t01,黄秀兰,4.50821E+11,#' doctors.csv

DROP TABLE certificates;
DROP TABLE financings;
DROP TABLE annual_figures;
DROP TABLE firms;

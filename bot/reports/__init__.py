"""Reports: the numbers (one written rule, `numbers`) and what is made of them: the chat summary, the
Excel workbook, the chart and the Word report."""

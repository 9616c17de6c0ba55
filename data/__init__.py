"""Sample scenarios and the generator of the Zhangye benchmark scenario (`data.generate_zhangye`)."""

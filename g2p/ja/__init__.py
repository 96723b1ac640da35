"""Japanese G2P: UniDic readings in context, split back onto tokens, then kana to IPA."""
